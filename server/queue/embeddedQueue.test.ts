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

  it("gives up on a job that failed every attempt, telling who to fail and why, and never runs it again", async () => {
    const { queue } = await setup({ policy: { maxAttempts: 3, timeBudgetMs: 10_000 } });
    let runs = 0;
    const givenUp: string[] = [];
    queue.handle("poison", async () => {
      runs++;
      throw new Error("boom");
    });
    queue.onGiveUp(async (job, reason) => void givenUp.push(`${job.kind}: ${reason}`));
    queue.start(1);
    await queue.enqueue([{ kind: "poison", payload: {} }]);
    await expect.poll(() => givenUp, { timeout: 10_000 }).toEqual(["poison: the engine gave up after 3 attempts: boom"]);
    await expect.poll(() => queue.depth()).toBe(0);
    expect(runs).toBe(3);
  });

  it("counts an attempt when the job is taken: a job whose process died while running it too often is given up on unrun", async () => {
    const { db, queue } = await setup({ policy: { maxAttempts: 3, timeBudgetMs: 10_000 } });
    await queue.enqueue([{ kind: "killer", payload: {} }]);
    // Three processes took it and died (a lease nobody renews any more).
    await db.prisma.job.updateMany({ data: { leaseHolder: "dead-worker", leaseUntil: Date.now() - 1, attempts: 3 } });
    let runs = 0;
    const givenUp: string[] = [];
    queue.handle("killer", async () => void runs++);
    queue.onGiveUp(async (_job, reason) => void givenUp.push(reason));
    queue.start(1);
    await expect.poll(() => givenUp, { timeout: 5_000 }).toEqual(["the engine gave up after 3 attempts: its process stopped or hung while running it"]);
    await expect.poll(() => queue.depth()).toBe(0);
    expect(runs).toBe(0);
  });

  it("a job running past its time budget counts as a failed attempt", async () => {
    const { queue } = await setup({ policy: { maxAttempts: 1, timeBudgetMs: 100 } });
    const givenUp: string[] = [];
    queue.handle("hang", () => new Promise(() => {}));
    queue.onGiveUp(async (_job, reason) => void givenUp.push(reason));
    queue.start(1);
    await queue.enqueue([{ kind: "hang", payload: {} }]);
    await expect.poll(() => givenUp, { timeout: 5_000 }).toEqual(["the engine gave up after 1 attempts: it ran past its time budget of 0.1 s"]);
  });

  it("keeps a job's lease while it runs longer than the lease, so no other consumer takes it", async () => {
    const { queue } = await setup({ leaseMs: 300 });
    const other = new EmbeddedQueue((queue as unknown as { db: Database }).db, log, { idlePollMs: 20 });
    cleanups.push(() => other.stop());
    const runs: string[] = [];
    const slow = (who: string) => async () => {
      runs.push(who);
      await new Promise((r) => setTimeout(r, 1_200));
    };
    queue.handle("slow", slow("first"));
    other.handle("slow", slow("second"));
    queue.start(1);
    await queue.enqueue([{ kind: "slow", payload: {} }]);
    await expect.poll(() => runs).toEqual(["first"]);
    other.start(1);
    await expect.poll(() => queue.depth(), { timeout: 5_000 }).toBe(0);
    expect(runs).toEqual(["first"]);
  });

  it("names the stacks that have work queued or running, leaving out the kinds asked", async () => {
    const { queue } = await setup();
    await queue.enqueue([
      { kind: "check", payload: { stackId: "a", traversal: "t", node: "update:x" } },
      { kind: "resume", payload: { resourceId: "r", stackId: "b" }, delayMs: 60_000 },
      { kind: "timeout", payload: { stackId: "c", traversal: "t" }, delayMs: 60_000 },
    ]);
    expect([...(await queue.busyStacks(["timeout"]))].sort()).toEqual(["a", "b"]);
  });

  it("stop(grace) returns after the grace even when the job in hand never finishes, leaving it to be taken again", async () => {
    const { queue } = await setup();
    queue.handle("hang", () => new Promise(() => {}));
    queue.start(1);
    await queue.enqueue([{ kind: "hang", payload: {} }]);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await queue.stop(300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await queue.depth()).toBe(1);
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
