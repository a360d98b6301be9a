/**
 * The engine's hot path on SQLite, straight through better-sqlite3: prepared statements kept
 * for reuse, synchronous execution (~0.01 ms a statement against ~0.5 ms through Prisma), and
 * transactions that can never be interleaved with other statements because they never yield.
 * All writes of the running server go through this one connection; Prisma's connection to
 * the same file only reads (WAL lets readers and the writer proceed together).
 */
import Sqlite from "better-sqlite3";
import { render, type Sql, type Statement } from "./sql";

/** Binds values as Prisma's SQLite adapter stores them, so either can read what the other wrote. */
function bind(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  return v;
}

/** Statements run since the connection opened, for the bench's statements-per-resource figures. */
export interface StatementCounts {
  /** Every statement, inside a transaction or not. */
  statements: number;
  transactions: number;
}

interface TurnGroup {
  statements: Statement[];
  answer(answers: unknown[]): void;
  fail(e: unknown): void;
}

const isBusy = (e: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown } | null)?.code));

export class SqliteDirect {
  private readonly statements = new Map<string, Sqlite.Statement>();
  readonly counts: StatementCounts = { statements: 0, transactions: 0 };
  /** Groups of statements asked for in this turn of the event loop, to commit together (`batchInTurn`). */
  private turn: TurnGroup[] = [];

  constructor(readonly connection: Sqlite.Database) {}

  static open(file: string): SqliteDirect {
    const connection = new Sqlite(file);
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("busy_timeout = 5000");
    // Checkpoint every 10,000 pages (~40 MB of WAL) rather than SQLite's 1,000: a created
    // resource writes ~23 pages, so the default checkpointed (and synced) every ~40 resources;
    // measured, ~10% of the engine's CPU per resource on a flat create.
    connection.pragma("wal_autocheckpoint = 10000");
    return new SqliteDirect(connection);
  }

  private prepare(q: Sql): Sqlite.Statement {
    const text = render(q, "sqlite");
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.connection.prepare(text);
      // Multi-row inserts make one text per row count; keep the cache from growing without bound.
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  all<Row>(q: Sql): Row[] {
    this.counts.statements++;
    return this.prepare(q).all(...q.values.map(bind)) as Row[];
  }

  run(q: Sql): number {
    this.counts.statements++;
    return this.prepare(q).run(...q.values.map(bind)).changes;
  }

  /** Runs the statements in one transaction; answers rows for queries and change counts otherwise. */
  batch(statements: Statement[]): unknown[] {
    this.counts.transactions++;
    return this.connection.transaction(() => this.runEach(statements)).immediate();
  }

  /**
   * Runs the statements atomically, as `batch` does, in the one transaction that commits every
   * group asked for in this turn of the event loop. A commit costs more than most statements
   * (it appends the pages written to the WAL), and concurrent jobs write rows that share pages,
   * so the writes of jobs finishing together cost far less committed together. Each caller
   * still hears only after its statements are committed: nothing runs on an uncommitted write.
   */
  batchInTurn(statements: Statement[]): Promise<unknown[]> {
    return new Promise((answer, fail) => {
      this.turn.push({ statements, answer, fail });
      if (this.turn.length === 1) setImmediate(() => this.commitTurn());
    });
  }

  private commitTurn() {
    const groups = this.turn.splice(0);
    if (groups.length > 1) {
      try {
        this.counts.transactions++;
        const answers = this.connection.transaction(() => groups.map((g) => this.runEach(g.statements))).immediate();
        groups.forEach((g, i) => g.answer(answers[i]!));
        return;
      } catch (e) {
        // Rolled back. The database busy (another connection writing past busy_timeout) would
        // keep each group waiting as long again: all fail now, and their jobs are retried.
        if (isBusy(e)) {
          for (const g of groups) g.fail(e);
          return;
        }
        // One group's failure (a constraint, say) must not fail the others: each runs again
        // in a transaction of its own.
      }
    }
    for (const g of groups) {
      try {
        g.answer(this.batch(g.statements));
      } catch (e) {
        g.fail(e);
      }
    }
  }

  private runEach(statements: Statement[]): unknown[] {
    return statements.map((s) => (s.rows ? this.all(s.q) : this.run(s.q)));
  }

  close() {
    this.connection.close();
  }
}
