/**
 * Deleting the rows a limit no longer needs (windows and buckets whose time has passed), at most
 * once a minute per process rather than on every write: a missing row reads as a fresh one, so
 * nothing depends on when the sweep runs, only the table's size does.
 */
import type { Database } from "../store/database";
import { execute, type Sql } from "../store/sql";

const SWEEP_EVERY_MS = 60_000;

export class ExpiredRows {
  private sweptAt = -Infinity;

  /** `expired(now)`: the statement that deletes what is expired at `now`. */
  constructor(
    private readonly db: Database,
    private readonly expired: (now: number) => Sql,
  ) {}

  async sweep(now: number) {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    await execute(this.db, this.expired(now));
  }
}
