/**
 * The store encrypts the columns that may carry secrets, on both providers, and still reads
 * rows a Kiln before encryption wrote in clear (sealed when next written, or at startup).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ColumnCipher } from "./columnCipher";
import { openDatabase, type Database } from "./database";
import { PrismaStateStore } from "./prismaStateStore";
import { sealClearRows } from "./sealClearRows";
import { query, sql } from "./sql";
import { stackRecord } from "./testing/stackRecord";
import { testCipher } from "./testing/testCipher";
import { testDatabases, type TestDatabaseUrl } from "./testing/testDatabases";

/** What a Kiln before encryption wrote: JSON as it is. */
const clear: ColumnCipher = { seal: (t) => t, open: (t) => t, fingerprint: (t) => t };

describe.each(testDatabases)("secret columns on $provider", ({ create }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  beforeAll(async () => {
    target = await create();
    db = await openDatabase(target.url);
  });
  afterAll(async () => {
    await db?.close();
    await target?.dispose();
  });

  it("parameters, environments, properties, attributes, data and hand-on payloads are stored sealed", async () => {
    const store = new PrismaStateStore(db, testCipher);
    await store.saveTemplate({ id: "t1", projectId: "p", template: "x", files: {}, environment: ['{"parameters": {"pw": "sealed-secret"}}'] });
    await store.createStack(stackRecord({ id: "s1", projectId: "p", name: "s1", templateId: "t1", parameters: { pw: "sealed-secret" } }));
    const now = new Date().toISOString();
    await store.createResources([
      { id: "r1", stackId: "s1", name: "r", type: "T", physicalId: null, action: "INIT", status: "COMPLETE", statusReason: "", templateId: "t1", requires: [], replaces: null, replacedBy: null, lockTraversal: null, convergedTraversal: null, properties: { pw: "sealed-secret" }, attributes: { pw: "sealed-secret" }, data: { pw: "sealed-secret" }, createdAt: now, updatedAt: now },
    ]);
    await store.updateResource("r1", { attributes: { again: "sealed-secret" } });
    await store.createSyncPoints([{ traversal: "x", node: "n", stackId: "s1", remaining: 1, successors: [] }]);
    await store.arrive("x", "n", "p1", { out: "sealed-secret" });

    const raw = await query<{ v: string }>(
      db,
      sql`SELECT "parameters" AS "v" FROM "Stack" UNION ALL SELECT "environment" FROM "RawTemplate"
          UNION ALL SELECT "properties" FROM "Resource" UNION ALL SELECT "attributes" FROM "Resource" UNION ALL SELECT "data" FROM "Resource"
          UNION ALL SELECT "payload" FROM "SyncArrival"`,
    );
    expect(raw).toHaveLength(6);
    for (const { v } of raw) expect(v).toMatch(/^kiln-sealed:v1:/);
    expect((await store.getStack("s1"))!.parameters).toEqual({ pw: "sealed-secret" });
    expect((await store.getTemplate("t1"))!.environment).toEqual(['{"parameters": {"pw": "sealed-secret"}}']);
    expect((await store.getResource("r1"))!).toMatchObject({ properties: { pw: "sealed-secret" }, attributes: { again: "sealed-secret" }, data: { pw: "sealed-secret" } });
    expect(await store.arrivals("x", "n")).toEqual([{ predecessor: "p1", payload: { out: "sealed-secret" } }]);
  });

  it("rows written in clear before encryption still read, and are sealed when written again", async () => {
    await new PrismaStateStore(db, clear).createStack(stackRecord({ id: "old", projectId: "p", name: "old", parameters: { pw: "old-secret" } }));
    const store = new PrismaStateStore(db, testCipher);
    expect((await store.getStack("old"))!.parameters).toEqual({ pw: "old-secret" });
    await store.updateStack("old", { parameters: { pw: "old-secret" } });
    const [row] = await query<{ parameters: string }>(db, sql`SELECT "parameters" FROM "Stack" WHERE "id" = 'old'`);
    expect(row!.parameters).toMatch(/^kiln-sealed:v1:/);
  });

  it("rows left in clear by a Kiln before encryption are sealed at startup, and read the same", async () => {
    const old = new PrismaStateStore(db, clear);
    await old.saveTemplate({ id: "t-old", projectId: "p", template: "x", files: {}, environment: ['{"parameters": {"pw": "older-secret"}}'] });
    await old.createStack(stackRecord({ id: "never-written", projectId: "p", name: "never-written", templateId: "t-old", parameters: { pw: "older-secret" } }));
    const now = new Date().toISOString();
    await old.createResources([
      { id: "r-old", stackId: "never-written", name: "r", type: "T", physicalId: null, action: "INIT", status: "COMPLETE", statusReason: "", templateId: "t-old", requires: [], replaces: null, replacedBy: null, lockTraversal: null, convergedTraversal: null, properties: { pw: "older-secret" }, attributes: {}, data: { pw: "older-secret" }, createdAt: now, updatedAt: now },
    ]);
    expect(await sealClearRows(db, testCipher)).toBeGreaterThanOrEqual(4);
    expect(await sealClearRows(db, testCipher)).toBe(0);
    const left = await query<{ v: string }>(
      db,
      sql`SELECT "parameters" AS "v" FROM "Stack" UNION ALL SELECT "environment" FROM "RawTemplate"
          UNION ALL SELECT "properties" FROM "Resource" UNION ALL SELECT "attributes" FROM "Resource" UNION ALL SELECT "data" FROM "Resource"`,
    );
    // The empty attributes are kept as they are: sealed, they would show as much by their length.
    expect(left.filter(({ v }) => !v.startsWith("kiln-sealed:v1:"))).toEqual([{ v: "{}" }]);
    const store = new PrismaStateStore(db, testCipher);
    expect((await store.getStack("never-written"))!.parameters).toEqual({ pw: "older-secret" });
    expect((await store.getResource("r-old"))!.data).toEqual({ pw: "older-secret" });
  });
});
