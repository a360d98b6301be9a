/**
 * Changes per project per minute: each project has a bucket of `perMinute` changes that refills
 * evenly over a minute, so a burst up to the limit passes and a runaway script (or a stolen
 * token) is slowed to the limit's pace instead of filling the queue. Reads are not counted.
 * Buckets live in this process and are bounded: the least recently used are forgotten first,
 * which only ever forgives. With several web processes each has its own buckets.
 */
const MAX_TRACKED = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class ProjectRateLimit {
  private readonly buckets = new Map<string, Bucket>();

  /** `perMinute` < 0: no limit. */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one change for the project: 0 when it may go ahead, else the seconds until it may. */
  take(projectId: string): number {
    if (this.perMinute < 0) return 0;
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const last = this.buckets.get(projectId);
    const tokens = last ? Math.min(this.perMinute, last.tokens + (now - last.at) * refillPerMs) : this.perMinute;
    this.buckets.delete(projectId); // re-inserted last: the map's order is the order to forget in
    if (tokens < 1) {
      this.buckets.set(projectId, { tokens, at: now });
      return refillPerMs > 0 ? Math.ceil((1 - tokens) / refillPerMs / 1000) : 60;
    }
    this.buckets.set(projectId, { tokens: tokens - 1, at: now });
    if (this.buckets.size > MAX_TRACKED) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }
}
