/**
 * Input that once took a whole server down (issue 10): group counts of 1e308, 1e9 and 100000
 * are refused with their reason while /healthz keeps answering, a count known only at deploy
 * time fails its group and not the process, and a stack deleted while its resources wait is
 * gone at once rather than when the waits run out.
 */
import { expect, it } from "vitest";
import { trpc } from "./testing/serverProcess";
import { serverForSuite } from "./testing/suiteServer";

const server = serverForSuite("poison");

const healthz = async () => (await fetch(`${server().url}/healthz`, { signal: AbortSignal.timeout(1000) })).status;
const show = (id: string) => trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: id });

const group = (count: string) => `
heat_template_version: 2018-08-31
resources:
  size: { type: OS::Heat::Value, properties: { value: 1000000000, type: number } }
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
      resource_def: { type: OS::Heat::None }
`;

it.each([
  ["1e308", /resources\.group\.properties\.count \(\d+:\d+\): 1e\+308 is not an integer in the range/],
  ["1e9", /resources\.group\.properties\.count \(\d+:\d+\): 1000000000 members would bring .* over the limit of 1000/],
  ["100000", /resources\.group\.properties\.count \(\d+:\d+\): 100000 members would bring .* over the limit of 1000/],
])("count: %s is refused at validate and at create, and the server keeps answering", async (count, reason) => {
  const validation = await trpc<{ valid: boolean; errors: { path: string; line: number; column: number; message: string }[] }>(
    server(), "templates.validate", { template: group(count) }, "mutation",
  );
  expect(validation.valid).toBe(false);
  expect(validation.errors.map((e) => `${e.path} (${e.line}:${e.column}): ${e.message}`).join("\n")).toMatch(reason);
  await expect(trpc(server(), "stacks.create", { name: `poison-${count.replace("+", "")}`, template: group(count) }, "mutation")).rejects.toThrow(
    /resources\.group\.properties\.count( \(\d+:\d+\))?: .*(not an integer|over the limit of 1000)/,
  );
  expect(await healthz()).toBe(200);
});

it("a count known only at deploy time fails its group with the limit, while /healthz answers", async () => {
  const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "late-count", template: group("{ get_attr: [size, value] }") }, "mutation");
  await expect.poll(async () => (await show(stack.id)).stackStatus, { timeout: 10_000 }).toBe("CREATE_FAILED");
  expect((await show(stack.id)).statusReason).toMatch(/RequestLimitExceeded: resources\.group: Request limit exceeded: .* over the limit of 1000$/);
  expect(await healthz()).toBe(200);
});

it("a stack deleted while its resources wait (120 s, 1e12 s, an unsignalled wait condition) is gone within 2 s", async () => {
  const template = `
heat_template_version: 2018-08-31
resources:
  slow: { type: OS::Heat::TestResource, properties: { action_wait_secs: { create: 120 } } }
  endless: { type: OS::Heat::TestResource, properties: { wait_secs: 1e12 } }
  handle: { type: OS::Heat::WaitConditionHandle }
  wait: { type: OS::Heat::WaitCondition, properties: { handle: { get_resource: handle }, timeout: 120 } }
`;
  const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "waiting", template }, "mutation");
  const states = async () => (await trpc<{ resourceName: string; resourceStatus: string }[]>(server(), "resources.list", { stack: stack.id })).map((r) => r.resourceStatus);
  await expect.poll(async () => (await states()).filter((s) => s === "CREATE_IN_PROGRESS").length, { timeout: 10_000 }).toBe(3);
  await new Promise((r) => setTimeout(r, 1000));

  const start = Date.now();
  await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
  await expect.poll(() => show(stack.id).then((s) => s.stackStatus, (e: Error) => e.message), { timeout: 2000, interval: 50 }).toMatch(/not found/i);
  expect(Date.now() - start).toBeLessThan(2000);
});
