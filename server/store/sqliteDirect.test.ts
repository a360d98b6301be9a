import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql, rowsOf, runOf } from "./sql";
import { SqliteDirect } from "./sqliteDirect";

describe("writes asked for in one turn (SqliteDirect.batchInTurn)", () => {
  let dir: string;
  let direct: SqliteDirect;
  /** A second connection, as Prisma's or another process's: it sees only committed rows. */
  let reader: Sqlite.Database;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-direct-"));
    direct = SqliteDirect.open(path.join(dir, "t.db"));
    direct.connection.exec(`CREATE TABLE "T" ("k" TEXT PRIMARY KEY, "v" INTEGER NOT NULL)`);
    reader = new Sqlite(path.join(dir, "t.db"), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    direct.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const committed = () => reader.prepare(`SELECT "k", "v" FROM "T" ORDER BY "k"`).all();
  const insert = (k: string, v: number) => runOf(sql`INSERT INTO "T" ("k", "v") VALUES (${k}, ${v})`);

  it("commits every group of the turn in one transaction, and answers each only once it is committed", async () => {
    const before = direct.counts.transactions;
    const seenByEach: unknown[][] = [];
    const answered = ["a", "b", "c"].map((k, i) =>
      direct.batchInTurn([insert(k, i), rowsOf(sql`SELECT "v" FROM "T" WHERE "k" = ${k}`)]).then((answers) => {
        seenByEach.push(committed());
        return answers;
      }),
    );
    // Nothing is written before the turn ends.
    expect(committed()).toEqual([]);
    const answers = await Promise.all(answered);
    expect(answers).toEqual([
      [1, [{ v: 0 }]],
      [1, [{ v: 1 }]],
      [1, [{ v: 2 }]],
    ]);
    expect(direct.counts.transactions - before).toBe(1);
    for (const seen of seenByEach) expect(seen).toHaveLength(3);
  });

  it("fails only the group that breaks a constraint: the others are stored, each atomically", async () => {
    direct.run(sql`INSERT INTO "T" ("k", "v") VALUES ('taken', 0)`);
    const results = await Promise.allSettled([
      direct.batchInTurn([insert("x", 1), insert("y", 2)]),
      direct.batchInTurn([insert("z", 3), insert("taken", 4)]),
      direct.batchInTurn([insert("w", 5)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    // "z" went with the failed group: all of a group or none of it.
    expect(committed()).toEqual([
      { k: "taken", v: 0 },
      { k: "w", v: 5 },
      { k: "x", v: 1 },
      { k: "y", v: 2 },
    ]);
  });

  it("fails every group of the turn at once when another connection holds the database past busy_timeout", async () => {
    direct.connection.pragma("busy_timeout = 20");
    const writer = new Sqlite(path.join(dir, "t.db"));
    writer.exec("BEGIN IMMEDIATE");
    try {
      const before = direct.counts.transactions;
      const results = await Promise.allSettled([direct.batchInTurn([insert("x", 1)]), direct.batchInTurn([insert("y", 2)]), direct.batchInTurn([insert("z", 3)])]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      // One wait, not one more per group.
      expect(direct.counts.transactions - before).toBe(1);
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
    }
    expect(committed()).toEqual([]);
  });

  it("commits a group asked for in a later turn on its own", async () => {
    await direct.batchInTurn([insert("first", 1)]);
    const before = direct.counts.transactions;
    await direct.batchInTurn([insert("second", 2)]);
    expect(direct.counts.transactions - before).toBe(1);
    expect(committed()).toHaveLength(2);
  });
});
