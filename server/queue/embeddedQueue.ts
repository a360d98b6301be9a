/**
 * The embedded work queue: jobs are rows in the database, taken under a lease by any number of
 * concurrent consumers (in this process or another one on the same database) and deleted only
 * after the handler has stored its effects. A consumer that dies leaves its lease to expire,
 * and the job is taken again. Consumers are woken at once by enqueues in this process and
 * poll slowly for work enqueued elsewhere and for expired leases.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { JobRequest } from "../engine/ports";
import type { JobHandler, JobQueue, QueuedJob } from "./jobQueue";
import type { Database } from "../store/database";
import { batch, execute, join, query, raw, runOf, sql } from "../store/sql";

export type { JobHandler, QueuedJob };

export interface EmbeddedQueueOptions {
  queue?: string;
  leaseMs?: number;
  idlePollMs?: number;
  /** A job that keeps failing is dropped after this many attempts, with an error logged. */
  maxAttempts?: number;
}

interface ClaimedRow {
  id: number;
  kind: string;
  payload: string;
  attempts: number;
}

export class EmbeddedQueue implements JobQueue {
  /** Identifies this process's leases; unique per start so a restarted process never owns old ones. */
  readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly queue: string;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly maxAttempts: number;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly sleepers = new Set<() => void>();
  private consumers: Promise<void>[] = [];
  private stopping = false;
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    opts: EmbeddedQueueOptions = {},
  ) {
    this.queue = opts.queue ?? "engine";
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.idlePollMs = opts.idlePollMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 10;
  }

  handle(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
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

  close() {
    return this.stop();
  }

  /** Starts `count` concurrent consumers. */
  start(count: number) {
    this.running = true;
    this.stopping = false;
    for (let i = 0; i < count; i++) this.consumers.push(this.consume());
  }

  /** Stops taking jobs and waits for the jobs in hand to finish (their effects are stored). */
  async stop() {
    this.stopping = true;
    this.wake(this.sleepers.size);
    await Promise.all(this.consumers);
    this.consumers = [];
    this.running = false;
  }

  async depth(): Promise<number> {
    const [row] = await query<{ n: number }>(this.db, sql`SELECT COUNT(*) AS "n" FROM "Job" WHERE "queue" = ${this.queue}`);
    return Number(row?.n ?? 0);
  }

  private wake(n: number) {
    for (const wakeOne of this.sleepers) {
      if (n-- <= 0) break;
      wakeOne();
    }
  }

  private async consume() {
    while (!this.stopping) {
      let job: QueuedJob | undefined;
      try {
        job = await this.claim();
      } catch (e) {
        this.log.error({ err: e }, "could not take a job from the queue");
      }
      if (!job) {
        await this.sleep();
        continue;
      }
      await this.run(job);
      // SQLite statements complete synchronously, so without this a busy consumer would chain
      // jobs in microtasks and starve the event loop: no socket write or HTTP answer until the
      // queue ran dry.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async run(job: QueuedJob) {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(job);
      await this.remove(job.id);
    } catch (e) {
      if (job.attempts >= this.maxAttempts) {
        this.log.error({ err: e, job: job.id, kind: job.kind }, "job failed too often; dropping it");
        await this.remove(job.id).catch(() => {});
        return;
      }
      const backoff = Math.min(30_000, 100 * 2 ** job.attempts);
      this.log.warn({ err: e, job: job.id, kind: job.kind, retryInMs: backoff }, "job failed; will retry");
      await execute(
        this.db,
        sql`UPDATE "Job" SET "leaseHolder" = NULL, "leaseUntil" = NULL, "availableAt" = ${Date.now() + backoff} WHERE "id" = ${job.id}`,
      ).catch(() => {});
    }
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

  private remove(id: number | string) {
    return execute(this.db, sql`DELETE FROM "Job" WHERE "id" = ${id}`);
  }

  private async claim(): Promise<QueuedJob | undefined> {
    const now = Date.now();
    const until = now + this.leaseMs;
    // PostgreSQL: SKIP LOCKED lets consumers in many processes claim different jobs at once.
    // SQLite: one writer at a time, so the statement alone is atomic.
    const lock = this.db.provider === "postgresql" ? raw(" FOR UPDATE SKIP LOCKED") : raw("");
    const rows = await query<ClaimedRow>(
      this.db,
      sql`UPDATE "Job" SET "leaseHolder" = ${this.holder}, "leaseUntil" = ${until}, "attempts" = "attempts" + 1
          WHERE "id" = (
            SELECT "id" FROM "Job"
            WHERE "queue" = ${this.queue} AND "availableAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
            ORDER BY "id" LIMIT 1${lock})
          RETURNING "id", "kind", "payload", "attempts"`,
    );
    const row = rows[0];
    if (!row) return undefined;
    return { id: Number(row.id), kind: row.kind, payload: JSON.parse(row.payload), attempts: Number(row.attempts) };
  }
}
