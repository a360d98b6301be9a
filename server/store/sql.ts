/**
 * A provider-neutral SQL fragment: a tagged template whose values become bound parameters,
 * rendered as `?` for SQLite and `$n` for PostgreSQL. Prisma's own `Prisma.sql` is tied to one
 * generated client's runtime, and a Database may hold either client, so the store builds its
 * statements with this and runs them on the database's direct connection: better-sqlite3
 * (sqliteDirect.ts) or node-postgres (postgresDirect.ts), both past Prisma; `$queryRawUnsafe`
 * only for a Database opened without one.
 */
import type { Database } from "./database";

export class Sql {
  /** `chunks[i]` is followed by `values[i]`; there is one more chunk than values. */
  constructor(
    readonly chunks: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const chunks = [strings[0]];
  const flat: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      chunks[chunks.length - 1] += v.chunks[0];
      for (let j = 0; j < v.values.length; j++) {
        flat.push(v.values[j]);
        chunks.push(v.chunks[j + 1]);
      }
      chunks[chunks.length - 1] += strings[i + 1];
    } else {
      flat.push(v);
      chunks.push(strings[i + 1]);
    }
  });
  return new Sql(chunks, flat);
}

/** Trusted SQL text (identifiers, keywords): never user data. */
export const raw = (text: string) => new Sql([text], []);

export function join(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return raw("");
  const chunks: string[] = [""];
  const values: unknown[] = [];
  parts.forEach((p, i) => {
    chunks[chunks.length - 1] += (i > 0 ? separator : "") + p.chunks[0];
    for (let j = 0; j < p.values.length; j++) {
      values.push(p.values[j]);
      chunks.push(p.chunks[j + 1]);
    }
  });
  return new Sql(chunks, values);
}

export function render(q: Sql, provider: Database["provider"]): string {
  let text = q.chunks[0];
  for (let i = 1; i < q.chunks.length; i++) text += (provider === "postgresql" ? `$${i}` : "?") + q.chunks[i];
  return text;
}

/** A statement for `batch`: whether it answers rows (SELECT, RETURNING) or a change count. */
export interface Statement {
  q: Sql;
  rows: boolean;
}
export const rowsOf = (q: Sql): Statement => ({ q, rows: true });
export const runOf = (q: Sql): Statement => ({ q, rows: false });

/**
 * Trips to the database server this process made through this module (a batch counts once on
 * SQLite, where it is one synchronous transaction, and once per statement plus its BEGIN and
 * COMMIT on PostgreSQL). The bench divides it by resources converged.
 */
export const roundTrips = { count: 0 };

/** Runs a statement that answers rows (SELECT, or any statement with RETURNING). */
export async function query<Row>(db: Database, q: Sql): Promise<Row[]> {
  roundTrips.count++;
  if (db.direct) return db.direct.all<Row>(q);
  if (db.postgres) return db.postgres.all<Row>(q);
  return db.prisma.$queryRawUnsafe<Row[]>(render(q, db.provider), ...q.values);
}

/** Runs a statement and answers the number of rows it changed. */
export async function execute(db: Database, q: Sql): Promise<number> {
  roundTrips.count++;
  if (db.direct) return db.direct.run(q);
  if (db.postgres) return db.postgres.run(q);
  return db.prisma.$executeRawUnsafe(render(q, db.provider), ...q.values);
}

/**
 * As `batch`; on SQLite, committed in one transaction with the other writes asked for in the
 * same turn of the event loop (SqliteDirect.batchInTurn).
 */
export async function batchInTurn(db: Database, statements: Statement[]): Promise<unknown[]> {
  if (!db.direct) {
    // A lone statement is atomic on its own: one round trip, where a transaction takes three.
    const [only] = statements;
    if (statements.length === 1) return [only!.rows ? await query(db, only!.q) : await execute(db, only!.q)];
    return batch(db, statements);
  }
  if (statements.length === 0) return [];
  roundTrips.count++;
  return db.direct.batchInTurn(statements);
}

/** As `query`, committed with the turn's other writes on SQLite (see `batchInTurn`). */
export async function queryInTurn<Row>(db: Database, q: Sql): Promise<Row[]> {
  return (await batchInTurn(db, [rowsOf(q)]))[0] as Row[];
}

/** Runs statements atomically, in order; answers each one's rows or change count. */
export async function batch(db: Database, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  roundTrips.count += db.direct ? 1 : statements.length + 2;
  if (db.direct) return db.direct.batch(statements);
  if (db.postgres) return db.postgres.batch(statements);
  const p = db.prisma;
  return p.$transaction(
    statements.map((s) =>
      s.rows ? p.$queryRawUnsafe(render(s.q, db.provider), ...s.q.values) : p.$executeRawUnsafe(render(s.q, db.provider), ...s.q.values),
    ),
  );
}
