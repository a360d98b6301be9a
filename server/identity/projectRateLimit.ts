/**
 * Changes per project per minute: each project has a bucket of `perMinute` changes that refills
 * evenly over a minute, so a burst up to the limit passes and a runaway script (or a stolen
 * token) is slowed to the limit's pace instead of filling the queue. Reads are not counted.
 * Buckets live in the database, so every web process of one Kiln takes from the same one; a
 * take is one atomic statement. A bucket idle for a minute is full again, and is deleted.
 */
import type { Database } from "../store/database";
import { query, sql } from "../store/sql";
import { ExpiredRows } from "./expiredRows";

const MINUTE_MS = 60_000;

export class ProjectRateLimit {
  /** A bucket idle for a minute is full, as a missing one reads. */
  private readonly idle: ExpiredRows;

  /** `perMinute` < 0: no limit. `scope` keeps apart what is counted (projects' changes, agents' connections). */
  constructor(
    private readonly db: Database,
    private readonly scope: string,
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.idle = new ExpiredRows(db, (at) => sql`DELETE FROM "RateBucket" WHERE "at" < ${at - MINUTE_MS}`);
  }

  /** Takes one change for `key` (a project's id): 0 when it may go ahead, else the seconds until it may. */
  async take(key: string): Promise<number> {
    if (this.perMinute < 0) return 0;
    const now = this.now();
    const refillPerMs = this.perMinute / MINUTE_MS;
    const rate = sql`CAST(${refillPerMs} AS DOUBLE PRECISION)`;
    const per = sql`CAST(${this.perMinute} AS DOUBLE PRECISION)`;
    const refilled = sql`CASE WHEN "RateBucket"."tokens" + (${now} - "RateBucket"."at") * ${rate} > ${per} THEN ${per} ELSE "RateBucket"."tokens" + (${now} - "RateBucket"."at") * ${rate} END`;
    const [bucket] = await query<{ tokens: number; took: number }>(
      this.db,
      sql`INSERT INTO "RateBucket" ("key", "tokens", "at", "took") VALUES (${`${this.scope}:${key}`}, ${per} - 1, ${now}, CASE WHEN ${per} >= 1 THEN 1 ELSE 0 END)
          ON CONFLICT ("key") DO UPDATE SET
            "tokens" = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
            "took" = CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
            "at" = ${now}
          RETURNING "tokens", "took"`,
    );
    await this.idle.sweep(now);
    if (Number(bucket!.took) === 1) return 0;
    return refillPerMs > 0 ? Math.ceil((1 - Number(bucket!.tokens)) / refillPerMs / 1000) : 60;
  }
}
