import type { WorkQueue } from "../engine/ports";

export interface QueuedJob {
  id: number | string;
  kind: string;
  payload: unknown;
  /** 1 on the first delivery. */
  attempts: number;
}

export type JobHandler = (job: QueuedJob) => Promise<void>;

/**
 * A work queue the process consumes: the database-backed one (embedded mode) or BullMQ on
 * Redis (scaled out). Either way a job is acknowledged only after its handler finished, and a
 * job whose consumer died is delivered again.
 */
export interface JobQueue extends WorkQueue {
  handle(kind: string, handler: JobHandler): void;
  start(concurrency: number): Promise<void> | void;
  /** Stops taking jobs and waits for the jobs in hand. */
  stop(): Promise<void>;
  readonly isRunning: boolean;
  depth(): Promise<number>;
  close(): Promise<void>;
}
