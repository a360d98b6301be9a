import type { WorkQueue } from "../engine/ports";
import type { GiveUp } from "./jobPolicy";

export interface QueuedJob {
  id: number | string;
  kind: string;
  payload: unknown;
  /** 1 on the first delivery. */
  attempts: number;
}

export type JobHandler = (job: QueuedJob) => Promise<void>;

/** The stack a job's payload names, if any. */
export function stackOf(payload: unknown): string | undefined {
  const id = (payload as { stackId?: unknown } | null)?.stackId;
  return typeof id === "string" ? id : undefined;
}

/**
 * A work queue the process consumes: the database-backed one (embedded mode) or BullMQ on
 * Redis (scaled out). Either way a job is acknowledged only after its handler finished, and a
 * job whose consumer died is delivered again.
 */
export interface JobQueue extends WorkQueue {
  handle(kind: string, handler: JobHandler): void;
  /** Who is told when the queue gives up on a job (see jobPolicy.ts). */
  onGiveUp(giveUp: GiveUp): void;
  start(concurrency: number): Promise<void> | void;
  /**
   * Stops taking jobs and waits for the jobs in hand, at most `graceMs`: jobs still running
   * then are left to their lease, and taken again elsewhere (jobs are idempotent).
   */
  stop(graceMs?: number): Promise<void>;
  readonly isRunning: boolean;
  depth(): Promise<number>;
  /**
   * The stacks some queued, delayed or running job is for (its payload's stackId), leaving
   * out jobs that only fail a stack late (`ignoreKinds`): what the reconciler treats as busy.
   */
  busyStacks(ignoreKinds: string[]): Promise<Set<string>>;
  close(graceMs?: number): Promise<void>;
}
