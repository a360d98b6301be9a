/**
 * The embedded work queue: jobs are rows in the database, taken under a lease by any number of
 * concurrent consumers (in this process or another one on the same database) and deleted only
 * after the handler has stored its effects. A consumer that dies leaves its lease to expire,
 * and the job is taken again. A lease is short (10 s) and renewed while its job runs, so a dead
 * process's jobs are taken again within seconds. Consumers are woken at once by enqueues in
 * this process and poll slowly for work enqueued elsewhere and for expired leases. A job that
 * keeps failing is given up on (jobPolicy.ts).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { JobRequest } from "../engine/ports";
import { stackOf, type JobHandler, type JobQueue, type QueuedJob } from "./jobQueue";
import { DEFAULT_JOB_POLICY, retryDelayMs, runUnderPolicy, settlesWithin, type GiveUp, type JobPolicy } from "./jobPolicy";
import type { Database } from "../store/database";
import { batch, batchInTurn, execute, join, query, raw, rowsOf, runOf, sql } from "../store/sql";

export type { JobHandler, QueuedJob };

export interface EmbeddedQueueOptions {
  queue?: string;
  leaseMs?: number;
  idlePollMs?: number;
  policy?: JobPolicy;
}

interface ClaimedRow {
  id: number;
  kind: string;
  payload: string;
  attempts: number;
  availableAt: number;
}

export class EmbeddedQueue implements JobQueue {
  /** Identifies this process's leases; unique per start so a restarted process never owns old ones. */
  readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly queue: string;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly policy: JobPolicy;
  private readonly handlers = new Map<string, JobHandler>();
  private giveUp: GiveUp = async () => {};
  private readonly sleepers = new Set<() => void>();
  private consumers: Promise<void>[] = [];
  private stopping = false;
  private running = false;
  /** Consumers asking for their next job, answered together by one claim (see `tick`). */
  private asking: ((job: QueuedJob | undefined) => void)[] = [];
  /** Jobs whose effects are stored, deleted together at the next tick. */
  private finished: number[] = [];
  private tickPending = false;
  /** The ticks run, one after another. */
  private ticks: Promise<void> = Promise.resolve();
  /** Jobs running now, whose leases one timer renews together while there are any. */
  private readonly inHand = new Set<number>();
  private renewing?: ReturnType<typeof setInterval>;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    opts: EmbeddedQueueOptions = {},
  ) {
    this.queue = opts.queue ?? "engine";
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.idlePollMs = opts.idlePollMs ?? 500;
    this.policy = opts.policy ?? DEFAULT_JOB_POLICY;
  }

  handle(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
  }

  onGiveUp(giveUp: GiveUp) {
    this.giveUp = giveUp;
  }

  get isRunning() {
    return this.running;
  }

  async enqueue(jobs: JobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = Date.now();
    const statements = [];
    for (let i = 0; i < jobs.length; i += 200) {
      const rows = jobs
        .slice(i, i + 200)
        .map((j) => sql`(${this.queue}, ${j.kind}, ${JSON.stringify(j.payload ?? null)}, ${now + (j.delayMs ?? 0)})`);
      statements.push(runOf(sql`INSERT INTO "Job" ("queue", "kind", "payload", "availableAt") VALUES ${join(rows, ", ")}`));
    }
    await batch(this.db, statements);
    this.wake(jobs.length);
  }

  /**
   * The embedded mode runs one process per SQLite file, so leases found at start belong to a
   * process that died: release them, and its jobs resume now rather than when the leases expire.
   */
  async releaseOrphanedLeases(): Promise<number> {
    if (this.db.provider !== "sqlite") return 0;
    return execute(this.db, sql`UPDATE "Job" SET "leaseHolder" = NULL, "leaseUntil" = NULL WHERE "leaseHolder" IS NOT NULL`);
  }

  close(graceMs?: number) {
    return this.stop(graceMs);
  }

  /** Starts `count` concurrent consumers. */
  start(count: number) {
    this.running = true;
    this.stopping = false;
    for (let i = 0; i < count; i++) this.consumers.push(this.consume());
  }

  /** Stops taking jobs and waits (at most `graceMs`) for the jobs in hand to finish. */
  async stop(graceMs = Infinity) {
    this.stopping = true;
    this.wake(this.sleepers.size);
    await settlesWithin(Promise.all(this.consumers), graceMs);
    // The tick the last finished jobs scheduled, then one for any left: they are deleted now.
    await new Promise((resolve) => setImmediate(resolve));
    await this.ticks;
    await this.tick();
    this.consumers = [];
    this.running = false;
    if (this.inHand.size === 0) this.stopRenewing();
  }

  async depth(): Promise<number> {
    const [row] = await query<{ n: number }>(this.db, sql`SELECT COUNT(*) AS "n" FROM "Job" WHERE "queue" = ${this.queue}`);
    return Number(row?.n ?? 0);
  }

  async busyStacks(ignoreKinds: string[]): Promise<Set<string>> {
    // Left out in the query: every traversal's timeout job stays queued for the whole timeout.
    const ignored = ignoreKinds.length ? sql` AND "kind" NOT IN (${join(ignoreKinds.map((k) => sql`${k}`), ", ")})` : sql``;
    const rows = await query<{ payload: string }>(this.db, sql`SELECT "payload" FROM "Job" WHERE "queue" = ${this.queue}${ignored}`);
    const busy = new Set<string>();
    for (const r of rows) {
      const stackId = stackOf(JSON.parse(r.payload));
      if (stackId) busy.add(stackId);
    }
    return busy;
  }

  private wake(n: number) {
    for (const wakeOne of this.sleepers) {
      if (n-- <= 0) break;
      wakeOne();
    }
  }

  private async consume() {
    while (!this.stopping) {
      const job = await this.next();
      if (!job) {
        if (!this.stopping) await this.sleep();
        continue;
      }
      // Asks for the next job at once: the tick that deletes this one claims it, in the same
      // transaction. That tick runs in a later turn of the event loop (setImmediate), so a
      // busy consumer never chains jobs in microtasks (SQLite answers synchronously), which
      // would hold back every socket write and HTTP answer until the queue ran dry.
      await this.run(job);
    }
  }

  private async run(job: QueuedJob) {
    this.hold(Number(job.id));
    try {
      await runUnderPolicy(job, this.handlers.get(job.kind), this.policy, this.giveUp, this.log);
      this.letGo(Number(job.id));
      this.finished.push(Number(job.id));
      this.scheduleTick();
    } catch (e) {
      this.letGo(Number(job.id));
      const backoff = retryDelayMs(job.attempts);
      this.log.warn({ err: e, job: job.id, kind: job.kind, attempt: job.attempts, retryInMs: backoff }, "job failed; will retry");
      await execute(
        this.db,
        sql`UPDATE "Job" SET "leaseHolder" = NULL, "leaseUntil" = NULL, "availableAt" = ${Date.now() + backoff} WHERE "id" = ${job.id}`,
      ).catch(() => {});
    }
  }

  /**
   * The lease outlives this process by at most leaseMs: renewed while the job runs. One timer
   * for every job in hand (rather than one per job) runs while any is.
   */
  private hold(id: number) {
    this.inHand.add(id);
    this.renewing ??= setInterval(() => this.renewLeases(), this.leaseMs / 3);
  }

  private letGo(id: number) {
    this.inHand.delete(id);
    // Kept between jobs while the consumers run: the next job is claimed within the turn.
    if (this.inHand.size === 0 && !this.running) this.stopRenewing();
  }

  private stopRenewing() {
    clearInterval(this.renewing);
    this.renewing = undefined;
  }

  private renewLeases() {
    if (this.inHand.size === 0) return;
    const ids = join([...this.inHand].map((id) => sql`${id}`), ", ");
    execute(this.db, sql`UPDATE "Job" SET "leaseUntil" = ${Date.now() + this.leaseMs} WHERE "id" IN (${ids}) AND "leaseHolder" = ${this.holder}`).catch(
      (err) => this.log.warn({ err, jobs: [...this.inHand] }, "could not renew the leases of the jobs in hand"),
    );
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.idlePollMs);
      this.sleepers.add(done);
    });
  }

  /** This consumer's next job, or undefined when none is available now. */
  private next(): Promise<QueuedJob | undefined> {
    return new Promise((resolve) => {
      this.asking.push(resolve);
      this.scheduleTick();
    });
  }

  /**
   * Consumers finish and ask in the same turn of the event loop (SQLite answers synchronously),
   * so one tick after it serves them all: one transaction deletes the jobs finished and claims
   * one job for each consumer asking. A job is claimed only for a consumer about to run it, so
   * the attempt its claim counts is always a real one. A job finished but not yet deleted when
   * the process dies runs again, which every job is safe to do.
   */
  private scheduleTick() {
    if (this.tickPending) return;
    this.tickPending = true;
    setImmediate(() => {
      this.tickPending = false;
      this.ticks = this.ticks.then(() => this.tick());
    });
  }

  private async tick() {
    const finished = this.finished.splice(0);
    const asking = this.asking.splice(0);
    const wanted = this.stopping ? 0 : asking.length;
    if (finished.length === 0 && wanted === 0) {
      for (const answer of asking) answer(undefined);
      return;
    }
    let jobs: QueuedJob[] = [];
    try {
      jobs = await this.deleteAndClaim(finished, wanted);
    } catch (e) {
      this.log.error({ err: e }, "could not take a job from the queue");
      // The finished jobs are deleted with the next claim; run again if the process dies first.
      this.finished.push(...finished);
    }
    asking.forEach((answer, i) => answer(jobs[i]));
  }

  private async deleteAndClaim(finished: number[], wanted: number): Promise<QueuedJob[]> {
    const now = Date.now();
    const until = now + this.leaseMs;
    const statements = [];
    if (finished.length) statements.push(runOf(sql`DELETE FROM "Job" WHERE "id" IN (${join(finished.map((id) => sql`${id}`), ", ")})`));
    // PostgreSQL: SKIP LOCKED lets consumers in many processes claim different jobs at once.
    // SQLite: one writer at a time, so the statement alone is atomic. In due order, which the
    // (queue, availableAt) index gives without reading every job that is due.
    const lock = this.db.provider === "postgresql" ? raw(" FOR UPDATE SKIP LOCKED") : raw("");
    if (wanted) {
      statements.push(
        rowsOf(sql`UPDATE "Job" SET "leaseHolder" = ${this.holder}, "leaseUntil" = ${until}, "attempts" = "attempts" + 1
          WHERE "id" IN (
            SELECT "id" FROM "Job"
            WHERE "queue" = ${this.queue} AND "availableAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
            ORDER BY "availableAt", "id" LIMIT ${wanted}${lock})
          RETURNING "id", "kind", "payload", "attempts", "availableAt"`),
      );
    }
    const answers = await batchInTurn(this.db, statements);
    if (!wanted) return [];
    return (answers[answers.length - 1] as ClaimedRow[])
      .sort((a, b) => Number(a.availableAt) - Number(b.availableAt) || Number(a.id) - Number(b.id))
      .map((row) => ({ id: Number(row.id), kind: row.kind, payload: JSON.parse(row.payload), attempts: Number(row.attempts) }));
  }
}
