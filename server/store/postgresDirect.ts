/**
 * The hot path on PostgreSQL, straight through node-postgres: statements prepared once per
 * connection and reused, and rows built here from pg's messages. Through Prisma's raw queries
 * every statement costs ~0.5 ms of this process's CPU (its query compiler and result mapping)
 * against ~0.1 ms here, and a scaled-out worker makes ~11 statements per resource: Prisma alone
 * capped a worker process near 150 resources/s. Prisma's client shares the same pool (one set
 * of connections per process) for everything off the hot path.
 */
import pg from "pg";
import { render, type Sql, type Statement as BatchStatement } from "./sql";

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const INT8 = 20;

/**
 * Rows read as Prisma's raw queries read them, so the store's row mapping sees one shape:
 * Prisma's DateTime columns are `timestamp(3)` holding UTC, and counts are bigint.
 */
function parserOf(oid: number): (text: string) => unknown {
  if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (text) => new Date(`${text.replace(" ", "T")}Z`);
  if (oid === INT8) return (text) => BigInt(text);
  return pg.types.getTypeParser(oid, "text");
}

/** What pg's Query passes its handlers (pg-protocol's messages), in the text format. */
interface RowDescription {
  fields: { name: string; dataTypeID: number }[];
}
interface DataRow {
  fields: (string | null)[];
}

/**
 * One statement as pg runs it, with its rows built here: pg's own result builder makes each
 * row by copying a dictionary-mode template object and asks for every column's parser on
 * every answer, and its query object copies the config it is given property by property;
 * together a tenth of a worker's CPU, for rows that are a handful of columns read once.
 */
class Statement extends pg.Query {
  private names: string[] = [];
  private parsers: ((text: string) => unknown)[] = [];
  /** Not `rows`: pg's Query reads that as the portal's page size. */
  private readonly built: Record<string, unknown>[] = [];
  declare private _result: { rows: Record<string, unknown>[] };
  declare private _canceledDueToError: unknown;

  constructor(text: string, name: string | undefined, values: unknown[]) {
    super(text);
    // Set after construction: given to the constructor, they are copied property by property.
    const self = this as unknown as pg.QueryConfig;
    self.name = name;
    self.values = values;
    this._result.rows = this.built;
  }

  handleRowDescription(msg: RowDescription) {
    this.names = msg.fields.map((f) => f.name);
    this.parsers = msg.fields.map((f) => parserOf(f.dataTypeID));
  }

  handleDataRow(msg: DataRow) {
    if (this._canceledDueToError) return;
    const row: Record<string, unknown> = {};
    try {
      for (let i = 0; i < msg.fields.length; i++) {
        const text = msg.fields[i]!;
        row[this.names[i]!] = text === null ? null : this.parsers[i]!(text);
      }
    } catch (err) {
      // As pg does: the statement answers this error once the server is done with it.
      this._canceledDueToError = err;
      return;
    }
    this.built.push(row);
  }
}

/** Binds values as Prisma does: a Date is its UTC instant (the columns have no time zone). */
function bind(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}

/**
 * Statements with more parameters than this are multi-row inserts, one text per row count:
 * they are not kept prepared on the server, so a connection's prepared statements stay few.
 */
const MOST_PARAMETERS_PREPARED = 32;

export class PostgresDirect {
  /** Statement text → its prepared name (the same on every connection of the pool). */
  private readonly names = new Map<string, string>();

  constructor(readonly pool: pg.Pool) {}

  private statement(q: Sql): Statement {
    const text = render(q, "postgresql");
    const values = q.values.map(bind);
    if (q.values.length > MOST_PARAMETERS_PREPARED) return new Statement(text, undefined, values);
    let name = this.names.get(text);
    if (!name) {
      name = `kiln_${this.names.size}`;
      this.names.set(text, name);
    }
    return new Statement(text, name, values);
  }

  async all<Row>(q: Sql, client?: pg.PoolClient): Promise<Row[]> {
    return (await this.send(q, client)).rows as Row[];
  }

  async run(q: Sql, client?: pg.PoolClient): Promise<number> {
    return (await this.send(q, client)).rowCount ?? 0;
  }

  /** On the client given, or on any of the pool's (taken for the statement only). */
  private send(q: Sql, client?: pg.PoolClient): Promise<pg.QueryResult> {
    const statement = this.statement(q);
    return new Promise((resolve, reject) => {
      (client ?? this.pool).query(statement as never, undefined as never, ((err: Error | undefined, result: pg.QueryResult) =>
        err ? reject(err) : resolve(result)) as never);
    });
  }

  /** Runs the statements in one transaction, in order; answers rows for queries and change counts otherwise. */
  async batch(statements: BatchStatement[]): Promise<unknown[]> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const answers: unknown[] = [];
      for (const s of statements) answers.push(s.rows ? await this.all(s.q, client) : await this.run(s.q, client));
      await client.query("COMMIT");
      client.release();
      return answers;
    } catch (e) {
      // A connection that cannot even roll back is broken: the pool must not hand it out again.
      const broken = await client.query("ROLLBACK").then(
        () => undefined,
        (err: Error) => err,
      );
      client.release(broken);
      throw e;
    }
  }
}
