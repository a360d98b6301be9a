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
  const chunks = [strings[0]!];
  const flat: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof Sql) {
      chunks[chunks.length - 1] += v.chunks[0];
      for (let j = 0; j < v.values.length; j++) {
        flat.push(v.values[j]);
        chunks.push(v.chunks[j + 1]!);
      }
      chunks[chunks.length - 1] += strings[i + 1];
    } else {
      flat.push(v);
      chunks.push(strings[i + 1]!);
    }
  }
  return new Sql(chunks, flat);
}

/**
 * Rows as a VALUES list's tuples, `(?, ?), (?, ?)`, every value bound. Built flat: a fragment
 * per value, joined, cost more than the statement it makes for a thousand rows.
 */
export function tuples(rows: readonly (readonly unknown[])[]): Sql {
  const chunks: string[] = [""];
  const values: unknown[] = [];
  rows.forEach((row, i) => {
    chunks[chunks.length - 1] += i > 0 ? ", (" : "(";
    row.forEach((v, j) => {
      values.push(v);
      chunks.push(j < row.length - 1 ? ", " : ")");
    });
  });
  return new Sql(chunks, values);
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

/** Runs a statement that answers rows (SELECT, or any statement with RETURNING). */
export async function query<Row>(db: Database, q: Sql): Promise<Row[]> {
  if (db.direct) return db.direct.all<Row>(q);
  if (db.postgres) return db.postgres.all<Row>(q);
  return db.prisma.$queryRawUnsafe<Row[]>(render(q, db.provider), ...q.values);
}

/** Runs a statement and answers the number of rows it changed. */
export async function execute(db: Database, q: Sql): Promise<number> {
  if (db.direct) return db.direct.run(q);
  if (db.postgres) return db.postgres.run(q);
  return db.prisma.$executeRawUnsafe(render(q, db.provider), ...q.values);
}

/**
 * As `batch`, committed in one transaction with the other writes asked for so in the same turn
 * of the event loop (SqliteDirect.batchInTurn, PostgresDirect.batchInTurn).
 */
export async function batchInTurn(db: Database, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  if (db.direct) return db.direct.batchInTurn(statements);
  if (db.postgres) return db.postgres.batchInTurn(statements);
  return batch(db, statements);
}

/** As `query`, committed with the turn's other writes (see `batchInTurn`). */
export async function queryInTurn<Row>(db: Database, q: Sql): Promise<Row[]> {
  return (await batchInTurn(db, [rowsOf(q)]))[0] as Row[];
}

/** Runs statements atomically, in order; answers each one's rows or change count. */
export async function batch(db: Database, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  if (db.direct) return db.direct.batch(statements);
  if (db.postgres) return db.postgres.batch(statements);
  const p = db.prisma;
  return p.$transaction(
    statements.map((s) =>
      s.rows ? p.$queryRawUnsafe(render(s.q, db.provider), ...s.q.values) : p.$executeRawUnsafe(render(s.q, db.provider), ...s.q.values),
    ),
  );
}
