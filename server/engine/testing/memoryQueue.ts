/**
 * A work queue in memory on a virtual clock, for engine tests. `drain()` runs jobs with the
 * configured number of concurrent consumers until none is left, jumping the clock forward
 * to the next delayed job whenever nothing is ready, so a stack that waits minutes settles in
 * milliseconds. Faults can be injected: a handler that throws `WorkerDied` is treated as a
 * dead worker, and its job is delivered again.
 */
import type { Clock, JobRequest, WorkQueue } from "../ports";

export class WorkerDied extends Error {}

interface Pending {
  seq: number;
  /** The job's id: shared by the copies of one enqueued job (its redeliveries), as a real queue's is. */
  jobId: string;
  kind: string;
  payload: unknown;
  availableAt: number;
  deliveries: number;
}

export class VirtualClock implements Clock {
  constructor(public time = Date.parse("2026-01-01T00:00:00Z")) {}
  now() {
    return this.time;
  }
}

export interface MemoryQueueOptions {
  concurrency?: number;
  /**
   * Deliver every job this many times, each copy after the previous one finished: what a
   * lease-based queue does when a worker dies after doing the work but before acknowledging it.
   */
  deliveries?: number;
  /** Pick the next job at random among the ready ones instead of in order. */
  shuffle?: () => number;
}

export class MemoryQueue implements WorkQueue {
  private pending: Pending[] = [];
  private seq = 0;
  readonly log: { kind: string; payload: unknown }[] = [];
  /** The delay each job was enqueued with, in enqueue order. */
  readonly delays: { kind: string; delayMs: number }[] = [];
  handlers: Record<string, (payload: unknown, jobId?: string) => Promise<void>> = {};
  private enqueued = 0;
  /** Called before each delivery; may throw WorkerDied to simulate a crash before the handler runs. */
  beforeDelivery?: (job: { kind: string; payload: unknown }) => void;

  constructor(
    readonly clock: VirtualClock,
    private readonly opts: MemoryQueueOptions = {},
  ) {}

  async enqueue(jobs: JobRequest[]) {
    for (const j of jobs) {
      this.delays.push({ kind: j.kind, delayMs: j.delayMs ?? 0 });
      const copies = this.opts.deliveries ?? 1;
      const jobId = String(++this.enqueued);
      for (let i = 0; i < copies; i++) {
        this.pending.push({
          seq: this.seq++,
          jobId,
          kind: j.kind,
          payload: structuredClone(j.payload),
          availableAt: this.clock.now() + (j.delayMs ?? 0) + i,
          deliveries: 0,
        });
      }
    }
  }

  get size() {
    return this.pending.length;
  }

  /** Whether a job can run now, without moving the clock (a stack waiting for a signal has none). */
  get hasReady() {
    return this.pending.some((p) => p.availableAt <= this.clock.now());
  }

  /** Runs until no job is left (or `until` says stop), advancing virtual time as needed. */
  async drain(until?: () => boolean, maxJobs = 100_000) {
    const concurrency = this.opts.concurrency ?? 4;
    let ran = 0;
    while (this.pending.length && !until?.()) {
      const ready = this.pending.filter((p) => p.availableAt <= this.clock.now());
      if (ready.length === 0) {
        this.clock.time = Math.min(...this.pending.map((p) => p.availableAt));
        continue;
      }
      if (this.opts.shuffle) ready.sort(() => this.opts.shuffle!() - 0.5);
      const batch = ready.slice(0, concurrency);
      this.pending = this.pending.filter((p) => !batch.includes(p));
      await Promise.all(batch.map((job) => this.deliver(job)));
      ran += batch.length;
      if (ran > maxJobs) throw new Error(`more than ${maxJobs} jobs: the traversal does not settle`);
    }
  }

  private async deliver(job: Pending) {
    job.deliveries++;
    this.log.push({ kind: job.kind, payload: job.payload });
    try {
      this.beforeDelivery?.(job);
      const handler = this.handlers[job.kind];
      if (!handler) throw new Error(`no handler for ${job.kind}`);
      await handler(structuredClone(job.payload), job.jobId);
    } catch (e) {
      if (e instanceof WorkerDied) {
        this.pending.push(job); // the lease expires and another worker takes it
        return;
      }
      throw e;
    }
  }
}
