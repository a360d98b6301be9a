/**
 * Hostile input against a real server: each request built to hurt is answered with a 4xx (or a
 * validation result) naming what is wrong, never a 500, a stack trace or a process that grows
 * without bound. The fuzz half sends a few hundred generated templates, parameters and
 * environments from a fixed seed, so a failure is reproducible.
 */
import fs from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { authHeaders } from "./testing/serverProcess";
import { serverForSuite } from "./testing/suiteServer";

const server = serverForSuite("hostile", { KILN_WORKERS: "1" });

interface Answer {
  status: number;
  text: string;
}

/** Posts a body (JSON value, or raw text) to a tRPC procedure (or any path under the server); returns the status and the text as received. */
async function post(procedure: string, body: unknown): Promise<Answer> {
  const res = await fetch(procedure.startsWith("/") ? `${server().url}${procedure}` : `${server().url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(server()) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const errorOf = (a: Answer) => (JSON.parse(a.text) as { error: { message: string; data: { code: string } } }).error;

/** Resident memory of the server process, from /proc. */
function serverRssBytes(): number {
  const status = fs.readFileSync(`/proc/${server().child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** What an answer must never hold: stack frames, source paths, raw exception names. */
const LEAKS = [/\n\s+at /, /\bat [\w.<>]+ \(/, /node_modules/, /\/server\/[\w/]+\.ts/, /file:\/\//, /Maximum call stack/, /\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b/];
const leakIn = (text: string) => LEAKS.find((re) => re.test(text));

const HOT = "heat_template_version: 2018-08-31\n";

describe("bad input is a 4xx naming what is wrong", () => {
  // Signals are open to anyone who can reach the server: no session, no handle needed.
  it.each(["/api/signal/00000000-0000-0000-0000-000000000000", "/api/session"])("a sender hanging up halfway through a body to %s leaves the server up", async (path) => {
    const { hostname, port, host } = new URL(server().url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
        setTimeout(() => resolve(void socket.destroy()), 200);
      });
      socket.on("error", reject);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${server().url}/healthz`)).status).toBe(200);
  });

  it("an invalid stack name is 400 (Heat), not 409", async () => {
    const a = await post("stacks.create", { name: "1 bad name", template: `${HOT}resources: {}\n` });
    expect(a.status).toBe(400);
    expect(errorOf(a).message).toMatch(/^Invalid stack name "1 bad name"/);
  });

  it("a JSON parameter 10,000 deep is 400 naming the parameter, and nothing is echoed back", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const a = await post("templates.validate", `{"template": ${JSON.stringify(`${HOT}parameters:\n  p: {type: json}\n`)}, "parameters": {"p": ${deep}}}`);
    expect(a.status).toBe(400);
    expect(errorOf(a).message).toMatch(/^Invalid input: parameters\.p\.0\.0\.[0.]*…: nested more than 100 levels deep; at most 100 levels of lists and maps are allowed$/);
  });

  it("creating a stack from a 10,000-deep template is 400 naming the line", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const a = await post("stacks.create", { name: "deep", template: `{"heat_template_version": "2018-08-31", "outputs": {"o": {"value": ${deep}}}}` });
    expect(a.status).toBe(400);
    expect(errorOf(a).message).toBe("The template is not valid:\ntemplate (1:165): nested more than 100 levels deep; at most 100 levels of lists and maps are allowed");
  });

  it("a request body over 4 MB is 413 saying so", async () => {
    const a = await post("templates.validate", { template: HOT, files: { big: "x".repeat(5 * 1024 * 1024) } });
    expect(a.status).toBe(413);
    expect(errorOf(a).message).toBe("The request body is over 4 MB, the most one request may send");
  });

  it("a file over 1 MB is 400 naming the file", async () => {
    const a = await post("templates.validate", { template: HOT, files: { "big.txt": "x".repeat(1024 * 1024 + 10) } });
    expect(a.status).toBe(400);
    expect(errorOf(a).message).toBe("Invalid input: files.big.txt: the file is over 1 MB; at most 1 MB is allowed");
  });

  it("templates.validate echoes no parameter value, large or hidden", async () => {
    const template = `${HOT}parameters:\n  big: {type: string}\n  secret: {type: string, hidden: true}\n`;
    const a = await post("templates.validate", { template, parameters: { big: "b".repeat(900 * 1024), secret: "hunter2-secret" } });
    expect(a.status).toBe(200);
    expect(a.text.length).toBeLessThan(4096);
    expect(a.text).not.toContain("hunter2-secret");
    expect(a.text).not.toContain("bbbbbbbbbb");
  });

  it("a str_replace of 250 MB is refused at once, naming the output", async () => {
    const template = `${HOT}parameters:\n  y: {type: string}\noutputs:\n  big:\n    value:\n      str_replace:\n        template: ${"x".repeat(1000)}\n        params: {x: {get_param: y}}\n`;
    const started = Date.now();
    const a = await post("stacks.create", { name: "bomb", template, parameters: { y: "y".repeat(256 * 1024) } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(a.status).toBe(400);
    expect(errorOf(a).message).toContain("outputs.big.value.str_replace (7:7): str_replace: the result is 250 MB; at most 1 MB is allowed");
  });
});

// ---- fuzz ---------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T,>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof random>;

const FUNCTIONS = [
  "str_replace", "str_replace_strict", "list_join", "str_split", "repeat", "map_merge", "map_replace", "list_concat", "list_concat_unique",
  "filter", "contains", "digest", "make_url", "get_param", "get_file", "get_attr", "get_resource", "if", "equals", "yaql", "Fn::Select",
];

/** Any JSON-ish value: scalars of awkward kinds, lists, maps, function calls, nested a little. */
function anyValue(r: Rng, depth = 0): unknown {
  const kind = r.int(0, depth > 3 ? 4 : 8);
  switch (kind) {
    case 0: return r.pick([null, true, false, 0, -1, 1e308, -0.5, NaN]);
    case 1: return r.pick(["", "x", "<%a%>", "%s", "\u0000", "☃".repeat(r.int(1, 50)), "a,b,c", "${x}", "*a", "&a", "<<", "- -"]);
    case 2: return "s".repeat(r.int(0, 3000));
    case 3: return r.int(-5, 100000);
    case 4: return r.pick(["get_param", "OS::stack_name", "p", "r", "value"]);
    case 5: return Array.from({ length: r.int(0, 4) }, () => anyValue(r, depth + 1));
    case 6: return Object.fromEntries(Array.from({ length: r.int(0, 3) }, (_, i) => [r.pick(["template", "params", "for_each", "k", "<<", `k${i}`]), anyValue(r, depth + 1)]));
    default: return { [r.pick(FUNCTIONS)]: anyValue(r, depth + 1) };
  }
}

const nestedText = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);

function aliasBomb(r: Rng): string {
  const width = r.int(5, 12);
  const levels = r.int(3, 9);
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
  return `${HOT}${lines.join("\n")}\nresources: {}\noutputs:\n  o: {value: *l${levels - 1}}\n`;
}

/** A template built to hurt, one of several families. */
function hostileTemplate(r: Rng): string {
  switch (r.int(0, 11)) {
    case 0: return aliasBomb(r);
    case 1: return `${HOT}resources:\n  r:\n    <<: ${r.pick(["5", "[1, 2]", "null", "'x'", "[{a: 1}, 3]"])}\n    type: OS::Heat::None\n`;
    case 2: return `{"heat_template_version": "2018-08-31", "outputs": {"o": {"value": ${nestedText("[", "]", r.int(90, 20000))}}}}`;
    case 3: return `${HOT}outputs:\n  o:\n    value: ${nestedText("{a: ", "}", r.int(90, 5000))}\n`;
    case 4: return `${HOT}outputs:\n  o:\n    value:\n      ${"- ".repeat(r.int(90, 50000))}x\n`;
    case 5: {
      const n = r.int(10, 3000);
      return `${HOT}outputs:\n  big:\n    value:\n      str_replace:\n        template: ${"x".repeat(n)}\n        params: {x: ${"y".repeat(r.int(10, 100000))}}\n`;
    }
    case 6: {
      const list = `[${Array.from({ length: r.int(10, 200) }, (_, i) => i).join(", ")}]`;
      return `${HOT}outputs:\n  o:\n    value:\n      repeat:\n        template: "<%a%>-<%b%>-<%c%>"\n        for_each: {<%a%>: ${list}, <%b%>: ${list}, <%c%>: ${list}}\n`;
    }
    case 7: {
      // One parameter joined, concatenated and merged many times: small text, large results.
      const s = `{get_param: s}`;
      const many = (n: number, x: string) => Array(n).fill(x).join(", ");
      const value = r.pick([
        `{list_join: ["", [${many(r.int(2, 200), s)}]]}`,
        `{list_concat: [${many(r.int(2, 200), "[{get_param: s}]")}]}`,
        `{str_replace: {template: {list_join: ["", [${many(r.int(2, 50), s)}]]}, params: {z: ${s}}}}`,
        `{map_merge: [${Array.from({ length: r.int(2, 100) }, (_, i) => `{k${i}: ${s}}`).join(", ")}]}`,
      ]);
      return `${HOT}parameters:\n  s: {type: string, default: ${"z".repeat(r.int(100, 100_000))}}\noutputs:\n  o:\n    value: ${value}\n`;
    }
    case 8: return `${HOT}resources:\n  r:\n    type: OS::Heat::Value\n    properties:\n      value: ${JSON.stringify(anyValue(r))}\noutputs:\n  o: {value: ${JSON.stringify(anyValue(r))}}\n`;
    case 9: return Array.from({ length: r.int(1, 400) }, () => r.pick(["{", "}", "[", "]", ":", "-", " ", "\n", "&a", "*a", "<<", "!!binary", "!!python/object", "'", '"', "#", "|", ">", "?", "%YAML 1.2\n---\n", "\t", "heat_template_version"])).join("");
    case 10: return `${HOT}conditions:\n  c: ${JSON.stringify(anyValue(r))}\nresources:\n  r: {type: OS::Heat::None, condition: c}\n`;
    default: return `${HOT}parameters:\n  p: {type: ${r.pick(["string", "number", "json", "comma_delimited_list", "boolean"])}, default: ${JSON.stringify(anyValue(r))}}\n`;
  }
}

/** A request body: a hostile template, parameters or environment, or a malformed body altogether. */
function hostileRequest(r: Rng): { procedure: string; body: unknown } {
  if (r.next() < 0.05) {
    // The wait condition signal URL takes any JSON a server sends.
    const body = r.pick([nestedText("[", "]", r.int(90, 30000)), nestedText('{"a":', "}", r.int(90, 5000)).replace(/}+$/, (m) => `1${m}`), "{", JSON.stringify(anyValue(r))]);
    return { procedure: "/api/signal/00000000-0000-4000-8000-000000000000", body };
  }
  if (r.next() < 0.05) return { procedure: r.pick(["stacks.show", "stacks.delete", "stacks.cancel", "events.list"]), body: r.pick([{ stack: "x".repeat(r.int(1, 5000)) }, { stack: anyValue(r) }, anyValue(r)]) };
  const procedure = r.next() < 0.85 ? "templates.validate" : "stacks.create";
  const name = procedure === "stacks.create" ? { name: r.pick(["1bad", "", "a b", "x".repeat(300), "é", `fuzz${r.int(0, 1e9)}`]) } : {};
  switch (r.int(0, 9)) {
    case 0: return { procedure, body: r.pick(["{", "[]", "null", '{"template": 5}', '{"template": "x", "parameters": []}', "\u0000".repeat(100), `{"template": ${nestedText("[", "]", 50000)}}`]) };
    case 1: {
      const deep = nestedText("[", "]", r.int(90, 30000));
      return { procedure, body: `{"template": ${JSON.stringify(`${HOT}parameters:\n  p: {type: json}\n`)}, "parameters": {"p": ${r.next() < 0.5 ? deep : JSON.stringify(deep)}}${procedure === "stacks.create" ? ', "name": "deep"' : ""}}` };
    }
    case 2: return { procedure, body: { ...name, template: `${HOT}parameters:\n  p: {type: ${r.pick(["string", "number", "json", "comma_delimited_list", "boolean"])}}\n`, parameters: { p: anyValue(r) } } };
    case 3: return { procedure, body: { ...name, template: `${HOT}resources: {}\n`, environment: [hostileTemplate(r).replace(HOT, "parameter_defaults:\n  x: 1\n")] } };
    case 4: return { procedure, body: { ...name, template: `${HOT}outputs:\n  f: {value: {get_file: f}}\n`, files: { f: "f".repeat(r.int(0, 1100 * 1024)) } } };
    default: return { procedure, body: { ...name, template: hostileTemplate(r) } };
  }
}

describe("fuzz", () => {
  it("300 hostile requests: no 5xx, no stack trace, the server alive and its memory bounded", async () => {
    const r = random(20261129);
    const rssBefore = serverRssBytes();
    let rssPeak = rssBefore;
    let slowest = { ms: 0, procedure: "" };
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const { procedure, body } = hostileRequest(r);
      const sent = Date.now();
      const a = await post(procedure, body);
      const ms = Date.now() - sent;
      if (ms > slowest.ms) slowest = { ms, procedure: `#${i} ${procedure}` };
      const what = `request #${i} (${procedure}) answered ${a.status}: ${a.text.slice(0, 300)}`;
      expect(a.status, what).toBeLessThan(500);
      expect(leakIn(a.text), what).toBeUndefined();
      // Validation echoes nothing large back, whatever was sent (a created stack shows its parameters).
      if (procedure === "templates.validate") expect(a.text.length, what).toBeLessThan(256 * 1024);
      if (i % 25 === 0) rssPeak = Math.max(rssPeak, serverRssBytes());
    }
    rssPeak = Math.max(rssPeak, serverRssBytes());
    const health = await fetch(`${server().url}/healthz`);
    expect(health.status).toBe(200);
    expect(server().child.exitCode).toBeNull();
    expect(rssPeak - rssBefore).toBeLessThan(400 * 1024 * 1024);
    console.log(`fuzz: 300 requests in ${Date.now() - started} ms; slowest ${slowest.ms} ms (${slowest.procedure}); server RSS ${Math.round(rssBefore / 2 ** 20)} → peak ${Math.round(rssPeak / 2 ** 20)} MB`);
  }, 90_000);
});
