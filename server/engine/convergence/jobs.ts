/** The jobs the engine puts on the queue. Each names what to look at, never what to do. */
export const JOB = {
  /** Converge one node of a traversal. */
  check: "check",
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
