import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../store/database";
import { execute, sql } from "../store/sql";
import { testDatabases } from "../store/testing/testDatabases";
import { Reconciler } from "./reconciler";
import { createRuntime } from "./runtime";

const log = pino({ level: "silent" });

const template = `heat_template_version: 2018-08-31
resources:
  a: { type: OS::Heat::TestResource }
  b: { type: OS::Heat::TestResource, depends_on: [a] }
`;

describe.each(testDatabases)("the reconciler on $provider", ({ create }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const target = await create();
    const db = await openDatabase(target.url);
    cleanups.push(() => target.dispose(), () => db.close());
    const rt = createRuntime(db, log, { publicUrl: () => "http://kiln.test" });
    cleanups.push(() => rt.queue.close());
    const reconciler = () => new Reconciler(db, rt.queue, rt.engine, rt.notifier, log, { intervalMs: 50 });
    return { db, rt, reconciler };
  }

  it("drives on a stack whose jobs were lost, once, after seeing it idle twice", async () => {
    const { db, rt, reconciler } = await setup();
    const stack = await rt.engine.createStack({ projectId: "default", name: "s", template });
    await execute(db, sql`DELETE FROM "Job"`); // whatever lost them
    const [one, two] = [reconciler(), reconciler()];
    expect(await one.runPass()).toEqual([]); // first look: idle only once
    await two.runPass();
    const driven = (await Promise.all([one.runPass(), two.runPass()])).flat();
    expect(driven).toEqual([stack.id]);
    expect(await rt.queue.depth()).toBe(1);
    rt.queue.start(1);
    await expect.poll(async () => (await rt.store.getStack(stack.id))?.status, { timeout: 10_000 }).toBe("COMPLETE");
  });

  it("leaves alone a stack that has a job queued", async () => {
    const { rt, reconciler } = await setup();
    await rt.engine.createStack({ projectId: "default", name: "s", template });
    const queued = await rt.queue.depth(); // a's check job and the traversal's timeout
    const r = reconciler();
    await r.runPass();
    expect(await r.runPass()).toEqual([]);
    expect(await rt.queue.depth()).toBe(queued);
  });
});
