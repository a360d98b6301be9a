import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { execute, query, sql } from "./sql";
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
});
