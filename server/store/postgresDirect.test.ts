import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { PostgresDirect } from "./postgresDirect";
import { batch, batchInTurn, execute, query, rowsOf, runOf, sql } from "./sql";
import { postgresAdminUrl, tempPostgresUrl, type TestDatabaseUrl } from "./testing/testDatabases";

/** Statements of the hot path, straight through node-postgres (postgresDirect.ts). */
describe("PostgreSQL statements of the hot path", () => {
  let target: TestDatabaseUrl;
  let db: Database;
  beforeAll(async () => {
    target = await tempPostgresUrl();
    db = await openDatabase(target.url);
    await execute(db, sql`INSERT INTO "Stack" ("id", "name", "rootStackId", "action", "status", "createdAt", "updatedAt")
      VALUES ('taken', 'taken', 'taken', 'CREATE', 'COMPLETE', ${new Date()}, ${new Date()})`);
  });
  afterAll(async () => {
    await db?.close();
    await target?.dispose();
  });

  const stackNamed = (name: string) => sql`INSERT INTO "Stack" ("id", "name", "rootStackId", "action", "status", "createdAt", "updatedAt")
    VALUES (${name}, ${name}, ${name}, 'CREATE', 'COMPLETE', ${new Date()}, ${new Date()}) RETURNING "name"`;

  it("concurrent statements each get their own answer, and one that fails fails alone", async () => {
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i === 17 ? query(db, stackNamed("taken")) : query<{ name: string }>(db, stackNamed(`s${i}`)))),
    );
    answers.forEach((a, i) => {
      if (i === 17) expect(a.status).toBe("rejected");
      else expect(a).toEqual({ status: "fulfilled", value: [{ name: `s${i}` }] });
    });
    const [{ n }] = await query<{ n: bigint }>(db, sql`SELECT COUNT(*) AS "n" FROM "Stack"`);
    expect(n).toBe(40n);
  });

  it("answer rows typed as the pool's parsers read them: nulls, times, big integers, booleans, text", async () => {
    const [row] = await query<Record<string, unknown>>(
      db,
      sql`SELECT NULL AS "nothing", CAST('2026-11-30 05:07:09.045' AS TIMESTAMP(3)) AS "at", CAST(9007199254740993 AS BIGINT) AS "big",
        TRUE AS "yes", CAST('{"a":1}' AS TEXT) AS "text", CAST(42 AS INTEGER) AS "n"`,
    );
    expect(Object.keys(row!)).toEqual(["nothing", "at", "big", "yes", "text", "n"]);
    // As Prisma reads them (parserOf): a timestamp(3) as UTC, a BIGINT as an exact bigint.
    expect(row).toEqual({ nothing: null, at: new Date("2026-11-30T05:07:09.045Z"), big: 9007199254740993n, yes: true, text: '{"a":1}', n: 42 });
    expect(row!.nothing).toBeNull();
    expect(row!.at).toBeInstanceOf(Date);
  });

  it("statements go on after the server dropped their connection", async () => {
    await query(db, sql`SELECT 1 AS "one"`);
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    try {
      const inFlight = query(db, sql`SELECT pg_sleep(5) AS "slept"`);
      const failed = expect(inFlight).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
        new URL(target.url).pathname.slice(1),
      ]);
      await failed;
    } finally {
      await admin.end();
    }
    // Idle connections of the pool were dropped too: it notices when the server closes them.
    await new Promise((r) => setTimeout(r, 200));
    expect(await query(db, sql`SELECT 2 AS "two"`)).toEqual([{ two: 2 }]);
  });

  describe("pipelined", () => {
    /** Another connection, as another process's: it sees only committed rows. */
    let reader: pg.Client;
    beforeAll(async () => {
      await execute(db, sql`CREATE TABLE "T" ("k" TEXT PRIMARY KEY, "v" INTEGER NOT NULL)`);
      // Pipelined: the three answers below ask it at once.
      reader = new pg.Client({ connectionString: target.url, pipeline: true } as pg.ClientConfig);
      await reader.connect();
    });
    afterAll(async () => {
      await reader?.end();
    });

    const committed = async () => (await reader.query(`SELECT "k", "v" FROM "T" ORDER BY "k"`)).rows;
    const insert = (k: string, v: number) => runOf(sql`INSERT INTO "T" ("k", "v") VALUES (${k}, ${v})`);
    const clear = () => execute(db, sql`DELETE FROM "T"`);

    it("sends the statements asked for in one turn in one write", async () => {
      const before = { ...db.postgres!.counts };
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => query<{ n: number }>(db, sql`SELECT CAST(${i} AS INTEGER) AS "n"`)));
      expect(answers.map(([row]) => row!.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(db.postgres!.counts.statements - before.statements).toBe(30);
      expect(db.postgres!.counts.writes - before.writes).toBe(1);
    });

    it("commits every group asked for with batchInTurn in a turn in one transaction, and answers each only once it is committed", async () => {
      await clear();
      const seenByEach: unknown[][] = [];
      const answered = ["a", "b", "c"].map((k, i) =>
        batchInTurn(db, [insert(k, i), rowsOf(sql`SELECT "v" FROM "T" WHERE "k" = ${k}`)]).then(async (answers) => {
          seenByEach.push(await committed());
          return answers;
        }),
      );
      expect(await Promise.all(answered)).toEqual([
        [1, [{ v: 0 }]],
        [1, [{ v: 1 }]],
        [1, [{ v: 2 }]],
      ]);
      for (const seen of seenByEach) expect(seen).toHaveLength(3);
      // One transaction wrote all three rows.
      const writers = await reader.query(`SELECT DISTINCT CAST(xmin AS TEXT) AS "x" FROM "T"`);
      expect(writers.rows).toHaveLength(1);
    });

    it("fails only the group that breaks a constraint: the others are stored, each atomically", async () => {
      await clear();
      await execute(db, sql`INSERT INTO "T" ("k", "v") VALUES ('taken', 0)`);
      const results = await Promise.allSettled([
        batchInTurn(db, [insert("x", 1), insert("y", 2)]),
        batchInTurn(db, [insert("z", 3), insert("taken", 4)]),
        batchInTurn(db, [insert("w", 5)]),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
      // "z" went with the failed group: all of a group or none of it.
      expect(await committed()).toEqual([
        { k: "taken", v: 0 },
        { k: "w", v: 5 },
        { k: "x", v: 1 },
        { k: "y", v: 2 },
      ]);
    });

    it("rolls a failed batch back whole; the statements sent with it, and after it, are not affected", async () => {
      await clear();
      await execute(db, sql`INSERT INTO "T" ("k", "v") VALUES ('taken', 0)`);
      const [failed, alone, after] = await Promise.allSettled([
        batch(db, [insert("first", 1), insert("taken", 2), insert("third", 3)]),
        execute(db, sql`INSERT INTO "T" ("k", "v") VALUES ('alone', 4)`),
        batch(db, [insert("after", 5)]),
      ]);
      expect(failed.status).toBe("rejected");
      expect(String((failed as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
      expect([alone.status, after.status]).toEqual(["fulfilled", "fulfilled"]);
      expect((await committed()).map((r) => r.k)).toEqual(["after", "alone", "taken"]);
      expect(await query(db, sql`SELECT 3 AS "three"`)).toEqual([{ three: 3 }]);
    });

    it("fails a batch holding a value that cannot be sent whole, before any of it is sent", async () => {
      await clear();
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const [failed, beside] = await Promise.allSettled([
        batch(db, [insert("first", 1), runOf(sql`INSERT INTO "T" ("k", "v") VALUES ('second', ${circular})`)]),
        batchInTurn(db, [insert("beside", 2)]),
      ]);
      expect(String((failed as PromiseRejectedResult).reason)).toMatch(/circular/);
      expect(beside.status).toBe("fulfilled");
      expect((await committed()).map((r) => r.k)).toEqual(["beside"]);
    });
  });
});

/** Connections carrying many statements at once (PostgresDirect's pipelines), each a fresh one. */
describe("PostgreSQL pipelines", () => {
  let target: TestDatabaseUrl;
  let admin: pg.Client;
  beforeAll(async () => {
    target = await tempPostgresUrl();
    admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`CREATE TABLE "T" ("k" TEXT PRIMARY KEY, "v" INTEGER NOT NULL)`);
  });
  afterAll(async () => {
    await admin?.end();
    await target?.dispose();
  });

  /** A fresh direct store: its connections have parsed nothing yet. */
  const fresh = () => {
    const pool = PostgresDirect.pipelined(target.url);
    pool.on("error", () => {});
    return { pd: new PostgresDirect(pool), pool };
  };
  const insert = (k: string, v: number) => runOf(sql`INSERT INTO "T" ("k", "v") VALUES (${k}, ${v})`);

  it("a unit that aborts before a statement's first Parse does not fail a later unit of the same write (batch)", async () => {
    const { pd, pool } = fresh();
    try {
      await admin.query(`DELETE FROM "T"; INSERT INTO "T" VALUES ('taken', 0)`);
      await pd.run(sql`SELECT 1`); // warm: the insert below is parsed on this connection
      await pd.batch([insert("warm", 0)]);
      // Never parsed on the connection yet:
      const read = (k: string) => rowsOf(sql`SELECT "v" FROM "T" WHERE "k" = ${k} /* parsed nowhere yet */`);
      const [failed, beside] = await Promise.allSettled([
        pd.batch([insert("taken", 1), read("taken")]),
        pd.batch([insert("beside", 2), read("beside")]),
      ]);
      expect(failed.status).toBe("rejected");
      expect(beside).toEqual({ status: "fulfilled", value: [1, [{ v: 2 }]] });
    } finally {
      await pool.end();
    }
  });

  it("one unit's failure fails no other: the fallback of a failed turn (batchInTurn)", async () => {
    const { pd, pool } = fresh();
    try {
      await admin.query(`DELETE FROM "T"; INSERT INTO "T" VALUES ('taken', 0)`);
      await pd.batch([insert("warm", 0)]);
      const read = (k: string) => rowsOf(sql`SELECT "v" FROM "T" WHERE "k" = ${k} /* parsed nowhere yet either */`);
      const results = await Promise.allSettled([
        pd.batchInTurn([insert("taken", 1), read("taken")]),
        pd.batchInTurn([insert("x", 2), read("x")]),
        pd.batchInTurn([insert("y", 3), read("y")]),
      ]);
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : r.status))).toEqual([
        expect.stringMatching(/duplicate key/),
        "fulfilled",
        "fulfilled",
      ]);
    } finally {
      await pool.end();
    }
  });

  /** Opens all four connections, so that each flush below takes an idle one at once. */
  const warm = async (pool: pg.Pool) => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    for (const c of clients) c.release();
  };

  it("a connection the server ends with a FATAL answer to its last statement is not handed to the next flush", async () => {
    const { pd, pool } = fresh();
    try {
      await warm(pool);
      // Four flushes (four turns) hold the four connections.
      const long = pd.all(sql`SELECT pg_sleep(3) AS "victim"`).catch((e: Error) => e);
      const others: Promise<unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setImmediate(r));
        others.push(pd.all(sql`SELECT pg_sleep(1.5) AS "other"`).then(() => "ok", (e: Error) => `rejected: ${e.message}`));
      }
      await new Promise((r) => setImmediate(r));
      const waiting = pd.all<{ n: number }>(sql`SELECT 5 AS "n"`); // waits for a connection
      await new Promise((r) => setTimeout(r, 300));
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3) AS "victim"%' AND pid <> pg_backend_pid()`);
      expect(String(await long)).toMatch(/terminating connection/);
      const got = await waiting.then(
        (rows) => rows,
        (e: Error) => `rejected: ${e.message}`,
      );
      expect(await Promise.all(others)).toEqual(["ok", "ok", "ok"]);
      expect(got).toEqual([{ n: 5 }]);
    } finally {
      await pool.end();
    }
  });

  it("the process survives the server dropping a connection with several statements in flight", () => {
    const here = path.dirname(new URL(import.meta.url).pathname);
    const script = `
      const { PostgresDirect } = await import(${JSON.stringify(path.join(here, "postgresDirect.ts"))});
      const { sql } = await import(${JSON.stringify(path.join(here, "sql.ts"))});
      const pg = (await import("pg")).default;
      const pool = PostgresDirect.pipelined(${JSON.stringify(target.url)});
      pool.on("error", () => {}); // as database.ts does
      const pd = new PostgresDirect(pool);
      await pd.all(sql\`SELECT 1 AS "one"\`);
      const inFlight = Promise.allSettled([pd.all(sql\`SELECT pg_sleep(5) AS "crash"\`), pd.all(sql\`SELECT 2 AS "two"\`)]);
      await new Promise((r) => setTimeout(r, 300));
      const admin = new pg.Client({ connectionString: ${JSON.stringify(postgresAdminUrl)} });
      await admin.connect();
      await admin.query(\`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5) AS "crash"%' AND pid <> pg_backend_pid()\`);
      await admin.end();
      console.log("callers:", (await inFlight).map((r) => r.status).join(","));
      console.log("next:", JSON.stringify(await pd.all(sql\`SELECT 3 AS "three"\`)));
      await pool.end();
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 15_000 });
    const stderr = child.stderr.split("\n").filter((l) => /Error|error|at /.test(l)).slice(0, 4).join("\n");
    expect({ status: child.status, stdout: child.stdout.trim(), stderr }).toEqual({
      status: 0,
      stdout: 'callers: rejected,rejected\nnext: [{"three":3}]',
      stderr: "",
    });
  });
});
