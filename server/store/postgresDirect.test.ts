import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { execute, query, sql } from "./sql";
import { postgresAdminUrl, tempPostgresUrl, type TestDatabaseUrl } from "./testing/testDatabases";

/** Statements of the hot path, straight through node-postgres (postgresDirect.ts). */
describe("PostgreSQL statements sent together", () => {
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

  it("each get their own answer, and one that fails fails alone", async () => {
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

  it("go on after the server dropped their connection", async () => {
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
