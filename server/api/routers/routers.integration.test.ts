/**
 * The tRPC routers as a client meets them, on a real server and store: a malformed input is a
 * 400 naming the field and changes nothing; a stack, resource, output, config or deployment
 * that does not exist (or is another project's) is a 404 naming it; nobody signed in gets 401
 * and a reader asking for a change 403, for every procedure. Every role against every
 * procedure is identity/access.integration.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { authHeaders, signIn, trpc, type Endpoint } from "../../testing/serverProcess";
import { serverForSuite } from "../../testing/suiteServer";

const server = serverForSuite("routers");
const template = "heat_template_version: 2018-08-31\nresources:\n  thing: { type: OS::Heat::TestResource, properties: { value: hi } }\noutputs:\n  said: { value: { get_attr: [thing, output] } }\n";

type Answer = { status: number; message: string };

async function call(endpoint: Endpoint, procedure: string, kind: "query" | "mutation", input: unknown, project?: string): Promise<Answer> {
  const headers = { ...authHeaders(endpoint), ...(project ? { "x-kiln-project": project } : {}) };
  const res =
    kind === "query"
      ? await fetch(`${endpoint.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${endpoint.url}/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input) });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? "" };
}

const admin = (): Endpoint => ({ url: server().url, token: server().token });
let reader: Endpoint;
let elsewhere = "";

beforeAll(async () => {
  await trpc(admin(), "stacks.create", { name: "here", template }, "mutation");
  // A stack of another project, which the admin's own project must not reach.
  await trpc(admin(), "projects.create", { name: "beta" }, "mutation");
  await trpc(admin(), "roles.add", { user: "admin", project: "beta", role: "member" }, "mutation");
  const res = await fetch(`${server().url}/api/trpc/stacks.create`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(admin()), "x-kiln-project": "beta" },
    body: JSON.stringify({ name: "theirs", template }),
  });
  elsewhere = ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
  await trpc(admin(), "users.create", { name: "ro", password: "a-long-password" }, "mutation");
  await trpc(admin(), "roles.add", { user: "ro", project: "admin", role: "reader" }, "mutation");
  reader = { url: server().url, token: await signIn(server().url, "ro", "a-long-password") };
}, 60_000);

/** Every procedure that acts on one stack, with the rest of a valid input. */
const ON_A_STACK: [procedure: string, kind: "query" | "mutation", rest: Record<string, unknown>][] = [
  ["stacks.show", "query", {}],
  ["stacks.update", "mutation", { template }],
  ["stacks.preview", "mutation", { template }],
  ["stacks.delete", "mutation", {}],
  ["stacks.cancel", "mutation", {}],
  ["stacks.check", "mutation", {}],
  ["resources.list", "query", {}],
  ["resources.show", "query", { resource: "thing" }],
  ["outputs.list", "query", {}],
  ["outputs.show", "query", { output: "said" }],
  ["events.list", "query", {}],
  ["software.agents", "query", {}],
  ["software.agentCommands", "query", {}],
  ["software.deploymentOf", "query", { resource: "thing" }],
];

describe("the tRPC routers", { timeout: 60_000 }, () => {
  it.each(ON_A_STACK)("%s: a stack that does not exist, or is another project's, is a 404 naming it", async (procedure, kind, rest) => {
    for (const stack of ["nowhere", elsewhere]) {
      const answer = await call(admin(), procedure, kind, { stack, ...rest });
      expect(answer).toEqual({ status: 404, message: `Stack "${stack}" not found` });
    }
  });

  it.each([
    ["resources.show", { stack: "here", resource: "ghost" }, 'Resource "ghost" not found in stack "here"'],
    ["outputs.show", { stack: "here", output: "ghost" }, 'Output "ghost" not found in stack "here"'],
  ])("%s: a part the stack does not have is a 404 naming it", async (procedure, input, message) => {
    expect(await call(admin(), procedure, "query", input)).toEqual({ status: 404, message });
  });

  it.each([
    ["software.configShow", "config"],
    ["software.deploymentShow", "deployment"],
  ])("%s: an id nobody made is a 404", async (procedure, what) => {
    const answer = await call(admin(), procedure, "query", { id: "00000000-0000-4000-8000-000000000000" });
    expect(answer.status).toBe(404);
    expect(answer.message.toLowerCase()).toContain(what);
  });

  it.each<[string, "query" | "mutation", unknown, string]>([
    ["stacks.create", "mutation", { name: "", template }, "name"],
    ["stacks.create", "mutation", { name: "x" }, "template"],
    ["stacks.create", "mutation", { name: "x", template, timeoutMins: "soon" }, "timeoutMins"],
    ["stacks.update", "mutation", { stack: "here", template: 42 }, "template"],
    ["stacks.show", "query", { stack: "" }, "stack"],
    ["resources.list", "query", { stack: "here", nestedDepth: -1 }, "nestedDepth"],
    ["resources.show", "query", { stack: "here", resource: "" }, "resource"],
    ["outputs.show", "query", { stack: "here" }, "output"],
    ["events.list", "query", { stack: "here", limit: 0 }, "limit"],
    ["events.list", "query", { stack: "here", kinds: ["gossip"] }, "kinds.0"],
    ["templates.validate", "mutation", { template: ["not", "text"] }, "template"],
    ["resourceTypes.show", "query", { type: "" }, "type"],
    ["software.configShow", "query", {}, "id"],
  ])("%s (%s) with a malformed field is a 400 naming the field, and changes nothing", async (procedure, kind, input, field) => {
    const before = await trpc<unknown[]>(admin(), "stacks.list", undefined);
    const answer = await call(admin(), procedure, kind, input);
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(new RegExp(`^Invalid input: (.*; )?${field.replace(".", "\\.")}: `));
    expect(await trpc<unknown[]>(admin(), "stacks.list", undefined)).toEqual(before);
  });

  it.each(ON_A_STACK)("%s: nobody signed in gets 401", async (procedure, kind, rest) => {
    const answer = await call({ url: server().url }, procedure, kind, { stack: "here", ...rest });
    expect(answer.status).toBe(401);
  });

  it.each(ON_A_STACK.filter(([p]) => !["stacks.show", "resources.list", "resources.show", "outputs.list", "outputs.show", "events.list", "software.agents", "software.deploymentOf"].includes(p)))(
    "%s: a reader gets 403, and the stack is unchanged",
    async (procedure, kind, rest) => {
      const before = await trpc<{ stackStatus: string; updatedAt: string }>(admin(), "stacks.show", { stack: "here" });
      const answer = await call(reader, procedure, kind, { stack: "here", ...rest });
      expect(answer).toMatchObject({ status: 403, message: expect.stringContaining("needs the member role") });
      const after = await trpc<{ stackStatus: string; updatedAt: string }>(admin(), "stacks.show", { stack: "here" });
      expect([after.stackStatus, after.updatedAt]).toEqual([before.stackStatus, before.updatedAt]);
    },
  );
});
