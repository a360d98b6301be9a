/**
 * The embedded mode survives SIGKILL: a server killed in the middle of a create is started
 * again on the same database, finishes the stack, and creates nothing twice.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { startServer, trpc, type ServerProcess } from "./testing/serverProcess";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-crash-"));
const databaseUrl = `file:${path.join(dir, "kiln.db")}`;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

// 8 parallel chains of 4: passwords first, then TestResources that wait half a second each.
let template = "heat_template_version: 2018-08-31\nresources:\n";
for (let c = 0; c < 8; c++) {
  template += `  pw${c}:\n    type: OS::Heat::RandomString\n`;
  for (let i = 0; i < 4; i++) {
    const value = i === 0 ? `{ get_attr: [pw${c}, value] }` : `{ get_attr: [c${c}_${i - 1}, output] }`;
    template += `  c${c}_${i}:\n    type: OS::Heat::TestResource\n    properties:\n      value: ${value}\n      action_wait_secs: { create: 0.5 }\n`;
  }
}

interface Resource {
  name: string;
  resourceStatus: string;
}
interface Event {
  resourceName: string;
  action: string;
  status: string;
}

it("a server SIGKILLed mid-create finishes the stack after a restart, creating nothing twice", async () => {
  server = await startServer(databaseUrl);
  const created = await trpc<{ id: string }>(server, "stacks.create", { name: "survivor", template }, "mutation");

  // Kill it once some, but not all, resources are complete.
  let before: Resource[] = [];
  await expect
    .poll(
      async () => {
        before = await trpc<Resource[]>(server!, "resources.list", { stack: created.id });
        return before.filter((r) => r.resourceStatus === "CREATE_COMPLETE").length;
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBeGreaterThanOrEqual(10);
  const passwords = await Promise.all(
    Array.from({ length: 8 }, (_, c) => trpc<{ attributes: { value: string } }>(server!, "resources.show", { stack: created.id, resource: `pw${c}` })),
  );
  expect(before.filter((r) => r.resourceStatus === "CREATE_COMPLETE").length).toBeLessThan(40);
  expect(await server.stop("SIGKILL")).toBeNull();

  server = await startServer(databaseUrl);
  await expect
    .poll(async () => (await trpc<{ stackStatus: string }>(server!, "stacks.show", { stack: created.id })).stackStatus, { timeout: 30_000, interval: 100 })
    .toBe("CREATE_COMPLETE");

  const after = await trpc<Resource[]>(server, "resources.list", { stack: created.id });
  expect(after).toHaveLength(40);
  expect(after.every((r) => r.resourceStatus === "CREATE_COMPLETE")).toBe(true);
  // Each RandomString kept the value it had before the crash, and flowed down its chain.
  for (let c = 0; c < 8; c++) {
    const pw = await trpc<{ attributes: { value: string } }>(server, "resources.show", { stack: created.id, resource: `pw${c}` });
    expect(pw.attributes.value).toBe(passwords[c]!.attributes.value);
    const last = await trpc<{ attributes: { output: string } }>(server, "resources.show", { stack: created.id, resource: `c${c}_3` });
    expect(last.attributes.output).toBe(pw.attributes.value);
  }
  // No resource completed twice.
  const events = await trpc<Event[]>(server, "events.list", { stack: created.id });
  const completions = events.filter((e) => e.action === "CREATE" && e.status === "COMPLETE" && e.resourceName !== "survivor");
  expect(completions).toHaveLength(40);
  expect(new Set(completions.map((e) => e.resourceName)).size).toBe(40);
}, 90_000);
