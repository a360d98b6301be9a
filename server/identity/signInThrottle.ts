/**
 * Failed sign-ins slow down whoever makes them. Past a number of failures within a window, from
 * one address or for one user name, further attempts are refused before any password is
 * checked, until the window ends. So guessing is slow, and costs the server no hashing. A
 * success clears that user's count. Counts live in this process, and are bounded: the oldest
 * are forgotten first.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failures allowed from one address per window: enough for a person mistyping. */
export const FAILURES_PER_ADDRESS = 10;
/** Failures allowed for one user name per window, from anywhere. Higher, so that guessing from
 * one address cannot lock its owner out. */
export const FAILURES_PER_USER = 30;
const MAX_TRACKED = 10_000;

interface Count {
  failures: number;
  windowEnds: number;
}

export class SignInThrottle {
  private readonly counts = new Map<string, Count>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until a sign-in from `address` for `user` may be tried, or 0 when it may be now. */
  waitSeconds(address: string, user: string): number {
    const blocked = [this.blockedUntil(`a:${address}`, FAILURES_PER_ADDRESS), this.blockedUntil(`u:${user}`, FAILURES_PER_USER)];
    const until = Math.max(...blocked);
    return until > 0 ? Math.ceil((until - this.now()) / 1000) : 0;
  }

  failed(address: string, user: string): void {
    for (const key of [`a:${address}`, `u:${user}`]) {
      const now = this.now();
      const count = this.current(key);
      this.counts.delete(key); // re-inserted last: the map's order is the order to forget in
      this.counts.set(key, count ? { ...count, failures: count.failures + 1 } : { failures: 1, windowEnds: now + SIGN_IN_WINDOW_MS });
      if (this.counts.size > MAX_TRACKED) this.counts.delete(this.counts.keys().next().value!);
    }
  }

  succeeded(user: string): void {
    this.counts.delete(`u:${user}`);
  }

  private current(key: string): Count | undefined {
    const count = this.counts.get(key);
    if (count && count.windowEnds <= this.now()) {
      this.counts.delete(key);
      return undefined;
    }
    return count;
  }

  private blockedUntil(key: string, allowed: number): number {
    const count = this.current(key);
    return count && count.failures >= allowed ? count.windowEnds : 0;
  }
}
