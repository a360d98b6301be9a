import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../store/database";
import { testDatabases, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { EmbeddedQueue, type QueuedJob } from "./embeddedQueue";

const log = pino({ level: "silent" });

describe.each(testDatabases)("the embedded queue on $provider", ({ create }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(opts = {}) {
    const target: TestDatabaseUrl = await create();
    const db: Database = await openDatabase(target.url);
    cleanups.push(() => target.dispose(), () => db.close());
    const queue = new EmbeddedQueue(db, log, { idlePollMs: 20, ...opts });
    cleanups.push(() => queue.stop());
    return { db, queue };
  }

  it("runs every job exactly once across concurrent consumers and removes it after", async () => {
    const { queue } = await setup();
    const seen: number[] = [];
    queue.handle("count", async (job) => {
      seen.push((job.payload as { n: number }).n);
    });
    queue.start(4);
    await queue.enqueue(Array.from({ length: 50 }, (_, n) => ({ kind: "count", payload: { n } })));
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(50);
    expect(new Set(seen).size).toBe(50);
    await expect.poll(() => queue.depth()).toBe(0);
  });

  it("retries a job whose handler failed", async () => {
    const { queue } = await setup();
    const attempts: number[] = [];
    queue.handle("flaky", async (job: QueuedJob) => {
      attempts.push(job.attempts);
      if (job.attempts < 2) throw new Error("not yet");
    });
    queue.start(1);
    await queue.enqueue([{ kind: "flaky", payload: {} }]);
    await expect.poll(() => attempts, { timeout: 10_000 }).toEqual([1, 2]);
    await expect.poll(() => queue.depth()).toBe(0);
  });

  it("hands a job held by a dead consumer to another once its lease expires", async () => {
    const { db, queue } = await setup({ leaseMs: 200 });
    await queue.enqueue([{ kind: "work", payload: { x: 1 } }]);
    // A consumer that took the job and died: the lease is held by nobody alive.
    await db.prisma.job.updateMany({ data: { leaseHolder: "dead-worker", leaseUntil: Date.now() + 200, attempts: 1 } });
    const done: QueuedJob[] = [];
    queue.handle("work", async (job) => {
      done.push(job);
    });
    queue.start(1);
    await expect.poll(() => done.length, { timeout: 5_000 }).toBe(1);
    expect(done[0]).toMatchObject({ payload: { x: 1 }, attempts: 2 });
  });

  it("stop() waits for the job in hand to finish and store its effect", async () => {
    const { queue } = await setup();
    let finished = false;
    queue.handle("slow", async () => {
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    queue.start(1);
    await queue.enqueue([{ kind: "slow", payload: {} }]);
    await new Promise((r) => setTimeout(r, 100));
    await queue.stop();
    expect(finished).toBe(true);
    expect(await queue.depth()).toBe(0);
  });
});
