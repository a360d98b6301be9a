/**
 * The interfaces the engine core needs from the world around it. server/engine imports
 * nothing from outer layers; server/main.ts hands it implementations of these.
 */

export interface JobRequest {
  kind: string;
  payload: unknown;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface WorkQueue {
  /** Stores the jobs durably; any consumer may take them. */
  enqueue(jobs: JobRequest[]): Promise<void>;
}

export interface Clock {
  now(): number;
}
