/**
 * Failed sign-ins slow down whoever makes them. Past a number of failures within a window, from
 * one address or for one user name, further attempts are refused before any password is
 * checked, until the window ends. So guessing is slow, and costs the server no hashing. A
 * success clears that user's count. Counts live in the database, so every web process of one
 * Kiln shares them; each failure is one atomic statement, and windows that ended are swept away.
 */
import type { Database } from "../store/database";
import { execute, query, sql } from "../store/sql";
import { ExpiredRows } from "./expiredRows";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failures allowed from one address per window: enough for a person mistyping. */
export const FAILURES_PER_ADDRESS = 10;
/** Failures allowed for one user name per window, from anywhere. Higher, so that guessing from
 * one address cannot lock its owner out. */
export const FAILURES_PER_USER = 30;

export class SignInThrottle {
  private readonly ended: ExpiredRows;

  /** `scope` keeps apart what is counted (sign-ins, agent connections, cloud credentials). */
  constructor(
    private readonly db: Database,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {
    this.ended = new ExpiredRows(db, (at) => sql`DELETE FROM "FailedAttempt" WHERE "windowEnds" <= ${at}`);
  }

  private keys(address: string, user: string) {
    return { address: `${this.scope}:a:${address}`, user: `${this.scope}:u:${user}` };
  }

  /** Seconds until a sign-in from `address` for `user` may be tried, or 0 when it may be now. */
  async waitSeconds(address: string, user: string): Promise<number> {
    const keys = this.keys(address, user);
    const now = this.now();
    const rows = await query<{ key: string; failures: number; windowEnds: number | string | bigint }>(
      this.db,
      sql`SELECT "key", "failures", "windowEnds" FROM "FailedAttempt" WHERE "key" IN (${keys.address}, ${keys.user}) AND "windowEnds" > ${now}`,
    );
    const allowed = (key: string) => (key === keys.address ? FAILURES_PER_ADDRESS : FAILURES_PER_USER);
    const until = Math.max(0, ...rows.filter((r) => Number(r.failures) >= allowed(r.key)).map((r) => Number(r.windowEnds)));
    return until > 0 ? Math.ceil((until - now) / 1000) : 0;
  }

  async failed(address: string, user: string): Promise<void> {
    const now = this.now();
    const ends = now + SIGN_IN_WINDOW_MS;
    for (const key of Object.values(this.keys(address, user))) {
      // A window that ended starts again at one failure.
      await execute(
        this.db,
        sql`INSERT INTO "FailedAttempt" ("key", "failures", "windowEnds") VALUES (${key}, 1, ${ends})
            ON CONFLICT ("key") DO UPDATE SET
              "failures" = CASE WHEN "FailedAttempt"."windowEnds" <= ${now} THEN 1 ELSE "FailedAttempt"."failures" + 1 END,
              "windowEnds" = CASE WHEN "FailedAttempt"."windowEnds" <= ${now} THEN ${ends} ELSE "FailedAttempt"."windowEnds" END`,
      );
    }
    await this.ended.sweep(now);
  }

  async succeeded(user: string): Promise<void> {
    await execute(this.db, sql`DELETE FROM "FailedAttempt" WHERE "key" = ${this.keys("", user).user}`);
  }
}
