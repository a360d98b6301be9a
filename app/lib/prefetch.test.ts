import vm from "node:vm";
import { createTRPCUntypedClient, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { afterEach, describe, expect, it } from "vitest";
import { prefetchedLink, prefetchScript } from "./prefetch";

/** Runs the script as a browser would, with a window and a fetch that records what it is asked for. */
function run(script: string) {
  const asked: string[] = [];
  const window: { __kilnPrefetched?: Record<string, unknown> } = {};
  vm.runInNewContext(script, { window, fetch: (url: string) => (asked.push(url), Promise.resolve(undefined)) });
  return { asked, keys: Object.keys(window.__kilnPrefetched ?? {}) };
}

describe("prefetchScript", () => {
  it("asks for each query once, one GET each, with the input the page will call it with", () => {
    const { asked, keys } = run(prefetchScript([{ path: "stacks.show", input: { stack: "web" } }, { path: "resources.list", input: { stack: "web", nestedDepth: 5 } }]));
    expect(asked.map((u) => decodeURIComponent(u))).toEqual(['/api/trpc/stacks.show?input={"stack":"web"}', '/api/trpc/resources.list?input={"stack":"web","nestedDepth":5}']);
    expect(keys).toHaveLength(2);
  });

  it("keeps an input that closes the script tag, or holds line separators, inside its string", () => {
    const hostile = '</script><script>alert(1)</script>\u2028\u2029"\\';
    const script = prefetchScript([{ path: "stacks.show", input: { stack: hostile } }]);
    expect(script).not.toMatch(/<\/script/i);
    expect(script).not.toMatch(/[\u2028\u2029]/);
    const { asked } = run(script);
    expect(JSON.parse(new URL(asked[0]!, "http://kiln").searchParams.get("input")!)).toEqual({ stack: hostile });
  });
});

describe("prefetchedLink", () => {
  /** A client whose next link stands for the network: it records what it is asked and answers "from the network". */
  function client() {
    const network: string[] = [];
    const networkLink: TRPCLink<AnyRouter> = () => ({ op }) =>
      observable((o) => {
        network.push(`${op.path} ${JSON.stringify(op.input)}`);
        o.next({ result: { type: "data", data: "from the network" } });
        o.complete();
      });
    return { network, api: createTRPCUntypedClient<AnyRouter>({ links: [prefetchedLink(), networkLink] }) };
  }
  const prefetched = (entries: Record<string, Promise<Response | undefined>>) => {
    (globalThis as { window?: unknown }).window = { __kilnPrefetched: entries };
  };
  /** The key the page's script files a query under, as the script itself computes it. */
  const key = (path: string, input: unknown) => run(prefetchScript([{ path, input }])).keys[0]!;
  const ok = (data: unknown) => Promise.resolve(new Response(JSON.stringify({ result: { data } }), { status: 200 }));
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it("answers the page's first call of a query from the response its HTML asked for, and the next one from the network", async () => {
    prefetched({ [key("stacks.show", { stack: "web" })]: ok({ name: "web" }) });
    const { api, network } = client();
    expect(await api.query("stacks.show", { stack: "web" })).toEqual({ name: "web" });
    expect(network).toEqual([]);
    expect(await api.query("stacks.show", { stack: "web" })).toBe("from the network");
    expect(network).toEqual(['stacks.show {"stack":"web"}']);
  });

  it("asks the network for another query or another input", async () => {
    prefetched({ [key("stacks.show", { stack: "web" })]: ok({ name: "web" }) });
    const { api, network } = client();
    expect(await api.query("stacks.show", { stack: "db" })).toBe("from the network");
    expect(await api.query("resources.list", { stack: "web" })).toBe("from the network");
    expect(network).toHaveLength(2);
  });

  it("asks the network again when the early answer is an error, lost, or not tRPC's", async () => {
    prefetched({
      [key("a", 1)]: Promise.resolve(new Response(JSON.stringify({ error: { message: "UNAUTHORIZED" } }), { status: 401 })),
      [key("b", 1)]: Promise.resolve(undefined),
      [key("c", 1)]: Promise.resolve(new Response("<html>proxy error</html>", { status: 200 })),
      [key("d", 1)]: Promise.resolve(new Response(JSON.stringify({ message: "a proxy's JSON" }), { status: 200 })),
    });
    const { api, network } = client();
    for (const path of ["a", "b", "c", "d"]) expect(await api.query(path, 1)).toBe("from the network");
    expect(network).toEqual(["a 1", "b 1", "c 1", "d 1"]);
  });
});
