/** The jobs the engine puts on the queue. Each names what to look at, never what to do. */
import type { JobRequest } from "../ports";

export const JOB = {
  /** Converge one node of a traversal. */
  check: "check",
  /** Converge several update or cleanup nodes of a traversal that became ready together (see checkJobs). */
  checks: "checks",
  /** Wake a waiting resource (a timer fired, a nested stack finished, a signal arrived). */
  resume: "resume",
  /** Fail the traversal if it is still running. */
  timeout: "timeout",
} as const;

export interface CheckJob {
  stackId: string;
  traversal: string;
  node: string;
  /**
   * Queued by the reconciler for a traversal with nothing queued: no other job of it can be
   * running, so it takes a resource's lock from whichever job of the traversal left it.
   */
  takeover?: boolean;
}

export const checkJob = (stackId: string, traversal: string, node: string): JobRequest => ({ kind: JOB.check, payload: { stackId, traversal, node } satisfies CheckJob });

/** Update and cleanup nodes of one traversal, each converged as its own check job would, sharing the reads. */
export interface CheckBatch {
  stackId: string;
  traversal: string;
  nodes: string[];
}

/**
 * The most nodes one `checks` job takes. A batch reads the stack once and its resources in one
 * statement, and is one job for the queue to claim and finish, where a node alone costs all
 * three; small enough that a tree's work still spreads over every consumer and worker process.
 */
export const CHECK_BATCH = 16;

/**
 * The jobs that converge `nodes` of a traversal, ready together: those `batchable` in batches of
 * at most CHECK_BATCH, every other one (and one alone) in its own `check` job. Only update and
 * cleanup nodes whose resources act in the store only are batched (EngineContext.checkJobs):
 * they finish in a moment and call no cloud, so a batch stays well inside a job's time budget
 * and a slow cloud never holds fifteen other resources back. Giving up on a batch (giveUp.ts)
 * tells the nodes it converged from those it did not by their rows.
 */
export function checkJobs(stackId: string, traversal: string, nodes: readonly string[], batchable: (node: string) => boolean): JobRequest[] {
  const single = (node: string) => checkJob(stackId, traversal, node);
  const batched = new Set(nodes.filter(batchable));
  const jobs = nodes.filter((n) => !batched.has(n)).map(single);
  const together = [...batched];
  for (let i = 0; i < together.length; i += CHECK_BATCH) {
    const batch = together.slice(i, i + CHECK_BATCH);
    jobs.push(batch.length === 1 ? single(batch[0]!) : { kind: JOB.checks, payload: { stackId, traversal, nodes: batch } satisfies CheckBatch });
  }
  return jobs;
}

export interface ResumeJob {
  resourceId: string;
  /**
   * Where the resource waits (absent from jobs queued by older versions): a wake-up delivered
   * again after its resource finished runs that node again, so its propagation is never lost.
   */
  stackId?: string;
  traversal?: string;
  node?: string;
}

/** The wake-up of a resource waiting at `marker`. */
export function resumeJob(resourceId: string, stackId: string, marker: WaitMarker): ResumeJob {
  return { resourceId, stackId, traversal: marker.traversal, node: marker.node };
}

export interface TimeoutJob {
  stackId: string;
  traversal: string;
}

/** Kept in a waiting resource's data so whatever wakes it knows where it was. */
export interface WaitMarker {
  traversal: string;
  node: string;
}
export const WAIT_KEY = "__wait";

/** A row's data without its wait marker: what a plugin sees, and what a finished wait leaves. */
export function withoutWait(data: Record<string, unknown>): Record<string, unknown> {
  const { [WAIT_KEY]: _, ...rest } = data;
  return rest;
}

/**
 * The longest delay handed to the queue: timers past it overflow (Node's setTimeout fires at
 * once beyond 2^31-1 ms). A wait longer than this wakes then, and its resume waits again.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;
export const DELETION_POLICY_KEY = "__deletionPolicy";
export const REFERENCE_KEY = "__reference";
/** Set on rows of provider-template types, which have no built-in plugin. */
export const PROVIDER_KEY = "__provider";
/** The type as the template names it, set on rows whose type the environment mapped to another (ResourceDefinition.templateType). */
export const TEMPLATE_TYPE_KEY = "__templateType";
/** A digest of the metadata the resource was last converged with (resourceChange.ts), set when it has any. */
export const METADATA_KEY = "__metadata";
