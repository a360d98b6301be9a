/**
 * What both queues do with a job that does not finish: a job is tried at most `maxAttempts`
 * times, counted when it is taken (so a job that killed or hung its process counts too), each
 * within a time budget; then the queue gives up on it and the engine fails what it was doing,
 * with the reason. No job is retried forever, and one that can never succeed (it meets stored
 * data this server cannot decrypt) is not retried at all.
 */
import type { Logger } from "pino";
import { StoredDataUnreadable } from "../engine/errors";
import type { JobHandler, QueuedJob } from "./jobQueue";

export interface JobPolicy {
  maxAttempts: number;
  /** A job whose handler has not settled after this long counts as a failed attempt. */
  timeBudgetMs: number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = { maxAttempts: 3, timeBudgetMs: 60_000 };

/** Told to give up on a job; throws when it could not (the job is then kept and tried again). */
export type GiveUp = (job: QueuedJob, reason: string) => Promise<void>;

/** Runs one delivery of a job under the policy. Resolves when the job is finished with (done or given up), rejects to have it retried. */
export async function runUnderPolicy(job: QueuedJob, handler: JobHandler | undefined, policy: JobPolicy, giveUp: GiveUp, log: Logger) {
  if (job.attempts > policy.maxAttempts) {
    const reason = `the engine gave up after ${policy.maxAttempts} attempts: its process stopped or hung while running it`;
    log.error({ job: job.id, kind: job.kind, payload: job.payload }, reason);
    return giveUp(job, reason);
  }
  try {
    if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
    await withinBudget(handler(job), policy.timeBudgetMs);
  } catch (e) {
    const hopeless = e instanceof StoredDataUnreadable;
    if (!hopeless && job.attempts < policy.maxAttempts) throw e;
    const reason = hopeless ? e.message : `the engine gave up after ${job.attempts} attempts: ${(e as Error).message}`;
    log.error({ err: e, job: job.id, kind: job.kind, payload: job.payload }, reason);
    await giveUp(job, reason);
  }
}

/** Exponential back-off before the next attempt of a failed job. */
export const retryDelayMs = (attempts: number) => Math.min(30_000, 100 * 2 ** attempts);

async function withinBudget(work: Promise<void>, budgetMs: number): Promise<void> {
  if (!(await settlesWithin(work, budgetMs))) throw new Error(`it ran past its time budget of ${budgetMs / 1000} s`);
}

/**
 * Waits for `work` at most `ms` (Infinity: for as long as it takes) and answers whether it
 * settled by then; its rejection is passed on. Job budgets and both queues' shutdown grace.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (!Number.isFinite(ms)) return work.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
