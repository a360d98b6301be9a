/**
 * The hot path on PostgreSQL, straight through node-postgres: statements prepared once per
 * connection and reused, and rows parsed by pg itself. Through Prisma's raw queries every
 * statement costs ~0.5 ms of this process's CPU (its query compiler and result mapping) against
 * ~0.1 ms here, and a scaled-out worker makes ~11 statements per resource: Prisma alone capped
 * a worker process near 150 resources/s. Prisma's client shares the same pool (one set of
 * connections per process) for everything off the hot path.
 */
import pg from "pg";
import { render, type Sql, type Statement } from "./sql";

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const INT8 = 20;

/**
 * Rows read as Prisma's raw queries read them, so the store's row mapping sees one shape:
 * Prisma's DateTime columns are `timestamp(3)` holding UTC, and counts are bigint.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8) return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

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

  private config(q: Sql): pg.QueryConfig {
    const text = render(q, "postgresql");
    const values = q.values.map(bind);
    if (q.values.length > MOST_PARAMETERS_PREPARED) return { text, values, types };
    let name = this.names.get(text);
    if (!name) {
      name = `kiln_${this.names.size}`;
      this.names.set(text, name);
    }
    return { name, text, values, types };
  }

  async all<Row>(q: Sql, client: pg.Pool | pg.PoolClient = this.pool): Promise<Row[]> {
    return (await client.query(this.config(q))).rows as Row[];
  }

  async run(q: Sql, client: pg.Pool | pg.PoolClient = this.pool): Promise<number> {
    return (await client.query(this.config(q))).rowCount ?? 0;
  }

  /** Runs the statements in one transaction, in order; answers rows for queries and change counts otherwise. */
  async batch(statements: Statement[]): Promise<unknown[]> {
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
