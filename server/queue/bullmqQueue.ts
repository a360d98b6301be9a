/**
 * The scaled-out work queue: BullMQ on Redis. Any `worker` process consumes; a job completes
 * (and leaves the queue) only when its handler resolved. A worker holds a job under a short
 * lock it renews, so a dead worker's job goes back to the queue within about 7 s (lock expiry
 * plus the stalled check of any live worker). Failed handlers are retried with exponential
 * back-off; a job taken too often is given up on (jobPolicy.ts).
 */
import { Queue, Worker, type ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import type { JobRequest } from "../engine/ports";
import { stackOf, type JobHandler, type JobQueue } from "./jobQueue";
import { DEFAULT_JOB_POLICY, retryDelayMs, runUnderPolicy, settlesWithin, type GiveUp, type JobPolicy } from "./jobPolicy";

const NAME = "kiln-engine";
/** A dead worker's lock lapses after at most this long; live workers renew it every half. */
const LOCK_MS = 5_000;
/** How often each worker looks for jobs whose lock lapsed. */
const STALLED_CHECK_MS = 2_000;

export class BullmqQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly handlers = new Map<string, JobHandler>();
  private giveUp: GiveUp = async () => {};
  private worker?: Worker;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly log: Logger,
    private readonly prefix = "kiln",
    private readonly policy: JobPolicy = DEFAULT_JOB_POLICY,
  ) {
    this.queue = new Queue(NAME, { connection, prefix });
  }

  static fromUrl(url: string, log: Logger, prefix?: string, policy?: JobPolicy) {
    const u = new URL(url);
    const connection: ConnectionOptions = {
      host: u.hostname,
      port: Number(u.port || 6379),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
      maxRetriesPerRequest: null,
    };
    return new BullmqQueue(connection, log, prefix, policy);
  }

  handle(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
  }

  onGiveUp(giveUp: GiveUp) {
    this.giveUp = giveUp;
  }

  get isRunning() {
    return this.worker?.isRunning() ?? false;
  }

  async enqueue(jobs: JobRequest[]) {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((j) => ({
        name: j.kind,
        data: j.payload ?? null,
        opts: {
          delay: j.delayMs ?? 0,
          // The policy gives up first; BullMQ's own limit is only a backstop.
          attempts: this.policy.maxAttempts + 1,
          backoff: { type: "custom" },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
  }

  start(concurrency: number) {
    this.worker = new Worker(
      NAME,
      async (job) => {
        // attemptsStarted counts every take, including those whose worker died mid-job.
        const queued = { id: job.id ?? "", kind: job.name, payload: job.data, attempts: job.attemptsStarted };
        await runUnderPolicy(queued, this.handlers.get(job.name), this.policy, this.giveUp, this.log);
      },
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        // A job that stalls is taken again; the policy (attemptsStarted) decides when to stop.
        maxStalledCount: this.policy.maxAttempts + 1,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade) },
      },
    );
    this.worker.on("failed", (job, err) => this.log.warn({ err, job: job?.id, kind: job?.name }, "job failed; BullMQ retries it"));
    this.worker.on("error", (err) => this.log.error({ err }, "BullMQ worker error"));
  }

  async stop(graceMs = Infinity) {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    // Jobs still running are left to their lock, which lapses and hands them to another worker.
    if (!(await settlesWithin(worker.close(), graceMs))) await worker.close(true);
  }

  async depth() {
    return this.queue.count();
  }

  async busyStacks(ignoreKinds: string[]): Promise<Set<string>> {
    const jobs = await this.queue.getJobs(["active", "waiting", "delayed", "prioritized", "paused"]);
    return new Set(jobs.filter((j) => j && !ignoreKinds.includes(j.name)).flatMap((j) => stackOf(j.data) ?? []));
  }

  async close(graceMs?: number) {
    await this.stop(graceMs);
    await this.queue.close();
  }
}
