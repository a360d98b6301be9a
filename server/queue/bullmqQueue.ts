/**
 * The scaled-out work queue: BullMQ on Redis. Any `worker` process consumes; a job completes
 * (and leaves the queue) only when its handler resolved, and BullMQ hands a job whose worker
 * stopped renewing its lock (a dead process) to another worker. Failed handlers are retried
 * with exponential back-off, as in the embedded queue.
 */
import { Queue, Worker, type ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import type { JobRequest } from "../engine/ports";
import type { JobHandler, JobQueue } from "./jobQueue";

const NAME = "kiln-engine";

export class BullmqQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly handlers = new Map<string, JobHandler>();
  private worker?: Worker;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly log: Logger,
    private readonly prefix = "kiln",
  ) {
    this.queue = new Queue(NAME, { connection, prefix });
  }

  static fromUrl(url: string, log: Logger, prefix?: string) {
    const u = new URL(url);
    const connection: ConnectionOptions = {
      host: u.hostname,
      port: Number(u.port || 6379),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
      maxRetriesPerRequest: null,
    };
    return new BullmqQueue(connection, log, prefix);
  }

  handle(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
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
          attempts: 10,
          backoff: { type: "exponential", delay: 100 },
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
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`no handler for job kind "${job.name}"`);
        await handler({ id: job.id ?? "", kind: job.name, payload: job.data, attempts: job.attemptsMade + 1 });
      },
      { connection: this.connection, prefix: this.prefix, concurrency },
    );
    this.worker.on("failed", (job, err) => this.log.warn({ err, job: job?.id, kind: job?.name }, "job failed; BullMQ retries it"));
    this.worker.on("error", (err) => this.log.error({ err }, "BullMQ worker error"));
  }

  async stop() {
    await this.worker?.close();
    this.worker = undefined;
  }

  async depth() {
    return this.queue.count();
  }

  async close() {
    await this.stop();
    await this.queue.close();
  }
}
