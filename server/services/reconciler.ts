/**
 * The safety net under the queue (level-triggered, as a Kubernetes controller re-lists): every
 * few seconds, and at start, look at the stacks in progress; one whose notifications have not
 * moved since the last look and that has no job queued, delayed or running is stalled, whatever
 * lost its jobs, and the engine drives its traversal on from the stored state (redrive.ts).
 *
 * Any number of processes may run it. Before acting, a process appends a warning to the
 * stack's notifications and acts only if that warning is the first notification after the
 * quiet one it saw: the notification ids are a global order every process agrees on.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Engine } from "../engine/convergence/engine";
import { JOB } from "../engine/convergence/jobs";
import type { Notifier } from "../engine/ports";
import { listNotifications } from "../notify/notificationHistory";
import type { JobQueue } from "../queue/jobQueue";
import type { Database } from "../store/database";
import { join, query, sql } from "../store/sql";

export interface ReconcilerOptions {
  intervalMs: number;
  /** Stacks looked at per pass (the oldest updates first). */
  batch?: number;
}

interface Candidate {
  id: string;
  currentTraversal: string;
}

export class Reconciler {
  private readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  /** Stacks seen idle at the last pass: id → `traversal:last notification id`. */
  private quiet = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly engine: Engine,
    private readonly notifier: Notifier,
    private readonly log: Logger,
    private readonly opts: ReconcilerOptions,
  ) {}

  start() {
    const tick = () => {
      this.pass = this.runPass()
        .then(() => {})
        .catch((err) => this.log.error({ err }, "the reconciler's pass failed"))
        .finally(() => {
          if (this.pass) this.timer = setTimeout(tick, this.opts.intervalMs).unref();
        });
    };
    tick();
  }

  async stop() {
    const pass = this.pass;
    this.pass = undefined;
    clearTimeout(this.timer);
    await pass;
  }

  /** One look at the stacks in progress; answers the stacks it drove on. */
  async runPass(): Promise<string[]> {
    const candidates = await query<Candidate>(
      this.db,
      sql`SELECT "id", "currentTraversal" FROM "Stack" WHERE "status" = 'IN_PROGRESS' AND "currentTraversal" IS NOT NULL
          ORDER BY "updatedAt" LIMIT ${this.opts.batch ?? 200}`,
    );
    const seen = new Map<string, string>();
    const idle: (Candidate & { lastId: number })[] = [];
    const lastIds = await this.lastNotifications(candidates.map((c) => c.id));
    for (const c of candidates) {
      const lastId = lastIds.get(c.id) ?? 0;
      const mark = `${c.currentTraversal}:${lastId}`;
      if (this.quiet.get(c.id) === mark) idle.push({ ...c, lastId });
      seen.set(c.id, mark);
    }
    this.quiet = seen;
    if (idle.length === 0) return [];
    // A timeout job is queued for the whole traversal and proves nothing about progress.
    const busy = await this.queue.busyStacks([JOB.timeout]);
    const driven: string[] = [];
    for (const c of idle) {
      if (busy.has(c.id)) continue;
      const n = await this.engine.redrive(c.id, c.currentTraversal, () => this.claim(c.id, c.currentTraversal, c.lastId));
      if (n === 0) continue;
      this.log.warn({ stack: c.id, traversal: c.currentTraversal, nodes: n }, "drove on a stalled traversal");
      driven.push(c.id);
    }
    return driven;
  }

  /** Each stack's last notification id, in one query for the whole pass (stacks with none are left out). */
  private async lastNotifications(stackIds: string[]): Promise<Map<string, number>> {
    if (stackIds.length === 0) return new Map();
    const rows = await query<{ stackId: string; id: number | bigint }>(
      this.db,
      sql`SELECT "stackId", MAX("id") AS "id" FROM "Event" WHERE "stackId" IN (${join(stackIds.map((id) => sql`${id}`), ", ")}) GROUP BY "stackId"`,
    );
    return new Map(rows.map((r) => [r.stackId, Number(r.id)]));
  }

  private async claim(stackId: string, traversal: string, quietAfter: number): Promise<boolean> {
    const reason = `Nothing was queued for this stack's ${traversal.slice(0, 8)} traversal: driving it on from its stored state (reconciler ${this.holder})`;
    await this.notifier.notify([{ stackId, kind: "warning", reason, traversal }]);
    const [first] = await listNotifications(this.db, { stackId, afterId: quietAfter, limit: 1 });
    return first?.reason === reason;
  }
}
