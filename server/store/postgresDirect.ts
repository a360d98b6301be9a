/**
 * The hot path on PostgreSQL, straight through node-postgres: statements prepared once per
 * connection and reused, and rows built here from pg's messages. Through Prisma's raw queries
 * every statement costs ~0.5 ms of this process's CPU (its query compiler and result mapping)
 * against ~0.1 ms here (less pipelined, below), and a scaled-out worker made ~11 statements per
 * resource: Prisma alone capped a worker process near 150 resources/s. Prisma's client has a pool of its own for
 * everything off the hot path (its interactive transactions wait on this process between
 * statements, which a pipelined connection must not).
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

/**
 * Binds values as Prisma does: a Date is its UTC instant (the columns have no time zone).
 * Anything pg would still convert when it sends the statement is converted here, when the
 * statement is asked for: a value it cannot convert must fail its caller there, not stop a
 * pipeline half sent (a transaction would go on without the statement).
 */
function bind(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(bind);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "object" && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

/**
 * Statements with more parameters than this are multi-row inserts, one text per row count:
 * they are not kept prepared on the server, so a connection's prepared statements stay few.
 */
const MOST_PARAMETERS_PREPARED = 32;

/**
 * Connections a process pipelines its statements on: a flush holds one until all its statements
 * are answered, and the next turn's flush takes another.
 */
const PIPELINED_CONNECTIONS = 4;

/** A statement as sent: its values bound, its prepared name if it keeps one. */
interface Prepared {
  text: string;
  name: string | undefined;
  values: unknown[];
}

/** Statements that must run together, waiting for a flush, and who hears their answers. */
interface Unit {
  /** A pg query object is made of each when it is sent (one is sent once, and a unit may be sent again). */
  statements: Prepared[];
  /**
   * Committed in one transaction with the other such units of its flush (`batchInTurn`); a unit
   * not in turn runs alone: one statement in its own implicit transaction, several in one of
   * their own.
   */
  inTurn: boolean;
  answer(results: pg.QueryResult[]): void;
  fail(e: Error): void;
}

/** A statement's outcome as the server gave it; never thrown. */
type Outcome = { result: pg.QueryResult; error?: undefined } | { error: Error; result?: undefined };

const BEGIN: Prepared = { text: "BEGIN", name: "kiln_begin", values: [] };
const COMMIT: Prepared = { text: "COMMIT", name: "kiln_commit", values: [] };

/**
 * The statements of a process are pipelined: those asked for in one turn of the event loop go to
 * the server in one write on one connection, without waiting for each other's answers: a
 * statement sent alone cost this process 0.09 ms of CPU (its write, its answer's read), sixteen
 * in one write 0.016 ms each. The writes of concurrent jobs asked for with `batchInTurn` commit
 * together, as on SQLite: a flat create commits 0.15 times per resource instead of 1.3. A
 * transaction's statements are sent together, so it never waits on this process between them.
 *
 * A connection runs its statements in order: one waiting on a lock holds back those sent after
 * it on that connection. Kiln's own transactions hold locks for the milliseconds of one write
 * (the events' lock is taken in a transaction of its own, see storeNotifier.ts); a session
 * outside Kiln holding a row for long would hold back more than the statement waiting for it.
 */
export class PostgresDirect {
  /** Statement text → its prepared name (the same on every connection of the pool). */
  private readonly names = new Map<string, string>();
  /** Units asked for since the last flush took them, in the order asked. */
  private queued: Unit[] = [];
  /** What this process sent: statements, and writes carrying them (a flush is one). The bench divides them by resources. */
  readonly counts = { statements: 0, writes: 0 };

  /** `pool`'s clients must be in pipeline mode (see `pipelined`). */
  constructor(readonly pool: pg.Pool) {}

  /** A pool for this class: few connections, each carrying many statements at once. */
  static pipelined(connectionString: string): pg.Pool {
    return new pg.Pool({ connectionString, pipeline: true, max: PIPELINED_CONNECTIONS } as pg.PoolConfig);
  }

  private prepared(q: Sql): Prepared {
    const text = render(q, "postgresql");
    const values = q.values.map(bind);
    if (q.values.length > MOST_PARAMETERS_PREPARED) return { text, name: undefined, values };
    let name = this.names.get(text);
    if (!name) {
      name = `kiln_${this.names.size}`;
      this.names.set(text, name);
    }
    return { text, name, values };
  }

  async all<Row>(q: Sql): Promise<Row[]> {
    return (await this.send([q], false))[0]!.rows as Row[];
  }

  async run(q: Sql): Promise<number> {
    return (await this.send([q], false))[0]!.rowCount ?? 0;
  }

  /** Runs the statements in one transaction, in order; answers rows for queries and change counts otherwise. */
  async batch(statements: BatchStatement[]): Promise<unknown[]> {
    return answersOf(statements, await this.send(statements.map((s) => s.q), false));
  }

  /**
   * As `batch`, in the one transaction that commits every unit asked for so in this turn. Each
   * caller hears only once that transaction committed. If any of its statements fails (a
   * constraint, a deadlock), it rolls back and each unit runs again in a transaction of its own,
   * so that one unit's failure fails no other.
   */
  async batchInTurn(statements: BatchStatement[]): Promise<unknown[]> {
    return answersOf(statements, await this.send(statements.map((s) => s.q), true));
  }

  private send(statements: Sql[], inTurn: boolean): Promise<pg.QueryResult[]> {
    // A value that cannot be bound rejects here, before anything is queued.
    return new Promise((answer, fail) => this.enqueue({ statements: statements.map((q) => this.prepared(q)), inTurn, answer, fail }));
  }

  private enqueue(unit: Unit) {
    this.queued.push(unit);
    if (this.queued.length === 1) setImmediate(() => void this.flush());
  }

  /**
   * Sends every unit queued by the time a connection is free, in one write, and gives the
   * connection back once all are answered. One the server dropped (an error that is not the
   * server's answer to a statement) is not handed out again.
   */
  private async flush() {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      for (const unit of this.queued.splice(0)) unit.fail(e as Error);
      return;
    }
    const units = this.queued.splice(0);
    const together = units.filter((u) => u.inTurn);
    const alone = units.filter((u) => !u.inTurn);
    // A turn's only unit is atomic on its own.
    if (together.length === 1) alone.push(together.pop()!);
    let broken: Error | undefined;
    // A checked-out client has no listener of pg-pool's: the server dropping the connection
    // would be an unhandled 'error' event, ending the process.
    const dropped = (e: Error) => (broken ??= e);
    client.on("error", dropped);
    const connection = connectionOf(client);
    const submit = ({ text, name, values }: Prepared) =>
      new Promise<Outcome>((done) => {
        this.counts.statements++;
        const named = name && usableName(connection, name) ? name : undefined;
        client.query(new Statement(text, named, values) as never, undefined as never, ((error: Error | undefined, result: pg.QueryResult) => {
          if (error && endsConnection(error)) broken ??= error;
          // A name whose Parse the server refused (in an aborted transaction) was never prepared.
          if (error && named && connection.parsedStatements[named] === undefined) delete connection.submittedNamedStatements[named];
          done(error ? { error } : { result });
        }) as never);
      });
    const transaction = (statements: Prepared[]) => Promise.all([BEGIN, ...statements, COMMIT].map(submit)).then((o) => o.slice(1));
    connection.stream.cork();
    const answered = alone.map(async (unit) => {
      const outcomes = unit.statements.length === 1 ? [await submit(unit.statements[0]!)] : await transaction(unit.statements);
      const failed = outcomes.find((o) => o.error);
      if (failed) unit.fail(failed.error!);
      else unit.answer(outcomes.slice(0, unit.statements.length).map((o) => o.result!));
    });
    if (together.length > 0) {
      answered.push(
        transaction(together.flatMap((u) => u.statements)).then((outcomes) => {
          // COMMIT answers "ROLLBACK", not an error, for a transaction a failed statement aborted.
          const failed = outcomes.find((o) => o.error);
          if (!failed) {
            let at = 0;
            for (const unit of together) unit.answer(outcomes.slice(at, (at += unit.statements.length)).map((o) => o.result!));
          } else if (broken) for (const unit of together) unit.fail(broken);
          else for (const unit of together) this.enqueue({ ...unit, inTurn: false });
        }),
      );
    }
    connection.stream.uncork();
    this.counts.writes++;
    await Promise.all(answered);
    client.off("error", dropped);
    client.release(broken);
  }
}

/** What of pg's connection this class uses: its stream, and which statement names it prepared (pg's own bookkeeping). */
interface Connection {
  stream: { cork(): void; uncork(): void };
  /** Names the server has answered Parse for. */
  parsedStatements: Record<string, string>;
  /** Names whose Parse was sent and not yet answered. */
  submittedNamedStatements: Record<string, string>;
}

function connectionOf(client: pg.PoolClient): Connection {
  return (client as unknown as { connection: Connection }).connection;
}

/**
 * Whether a statement may go by its prepared name: the server prepared it, or it was never sent
 * and this Parse prepares it. A name sent and not yet answered is not used again: pg would skip
 * its Parse, and if the server refuses the first (it refuses everything in an aborted
 * transaction) the statement would not exist for the second. That one goes unnamed.
 */
function usableName(connection: Connection, name: string): boolean {
  return connection.parsedStatements[name] !== undefined || connection.submittedNamedStatements[name] === undefined;
}

/**
 * An error after which the connection is not used again: not an answer to a statement (the
 * connection dropped), or the server ending the session (FATAL: terminated by an administrator,
 * a server shutting down).
 */
function endsConnection(error: Error): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  return error.severity === "FATAL" || error.severity === "PANIC" || /^(08|57P)/.test(error.code ?? "");
}

/** A batch's answers: rows for the statements that answer rows, change counts for the others. */
function answersOf(statements: BatchStatement[], results: pg.QueryResult[]): unknown[] {
  return statements.map((s, i) => (s.rows ? results[i]!.rows : (results[i]!.rowCount ?? 0)));
}
