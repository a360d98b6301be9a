/**
 * The engine with its real adapters — Prisma store, database queue, persisted notifications —
 * on SQLite and on PostgreSQL: a stack created, updated and deleted end to end.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Notification } from "../engine/ports";
import { openDatabase, type Database } from "../store/database";
import { testDatabases, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { createRuntime, type Runtime } from "./runtime";
import { listOutputs } from "./stacks";
import { query, sql } from "../store/sql";
import { JOB } from "../engine/convergence/jobs";

const v1 = `
heat_template_version: 2018-08-31
resources:
  pw: { type: OS::Heat::RandomString, properties: { length: 10 } }
  a: { type: OS::Heat::TestResource, properties: { value: { get_attr: [pw, value] } } }
  b: { type: OS::Heat::TestResource, properties: { value: { list_join: ["/", [{ get_attr: [a, output] }, b]] } } }
outputs:
  b: { value: { get_attr: [b, output] } }
`;
const v2 = v1.replace("list_join: [\"/\", [{ get_attr: [a, output] }, b]]", "list_join: [\"/\", [{ get_attr: [a, output] }, b2]]");

describe.each(testDatabases)("the engine on $provider", ({ create }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  let rt: Runtime;
  const seen: Notification[] = [];

  beforeAll(async () => {
    target = await create();
    db = await openDatabase(target.url);
    rt = createRuntime(db, pino({ level: "silent" }), { publicUrl: () => "http://kiln.test" });
    rt.bus.subscribe("*", (batch) => seen.push(...batch));
    rt.queue.start(4);
  });
  afterAll(async () => {
    await rt.queue.stop();
    await db.close();
    await target.dispose();
  });

  const settled = (name: string, action: string) =>
    expect.poll(() => seen.find((n) => n.resourceName === name && n.action === action && n.status !== "IN_PROGRESS")?.status, { timeout: 15_000 });

  it("creates, updates in place and deletes a stack, with every event persisted in order", async () => {
    const stack = await rt.engine.createStack({ projectId: "p", name: "s", template: v1 });
    await settled("s", "CREATE").toBe("COMPLETE");
    const pw = (await rt.store.findResources(stack.id, "pw"))[0]!.attributes.value as string;
    expect((await listOutputs(rt, (await rt.store.getStack(stack.id))!, { seesCredentials: true }))[0]).toMatchObject({ outputKey: "b", outputValue: `${pw}/b` });

    await rt.engine.updateStack(stack.id, { template: v2 });
    await settled("s", "UPDATE").toBe("COMPLETE");
    expect((await rt.store.findResources(stack.id, "b"))[0]).toMatchObject({ action: "UPDATE", status: "COMPLETE", attributes: { output: `${pw}/b2` } });

    await rt.engine.deleteStack(stack.id);
    await settled("s", "DELETE").toBe("COMPLETE");
    expect(await rt.store.getStack(stack.id)).toBeUndefined();
    const ids = seen.map((n) => n.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    // Only the operations' timeouts are left, due an hour from now (and then doing nothing).
    const left = () => query<{ kind: string }>(db, sql`SELECT "kind" FROM "Job"`);
    await expect.poll(async () => (await left()).filter((j) => j.kind !== JOB.timeout)).toEqual([]);
  });
});
