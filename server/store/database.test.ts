import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { migrate } from "./migrate";
import { testDatabases, type TestDatabaseUrl } from "./testing/testDatabases";

describe.each(testDatabases)("the $provider store", ({ provider, create }) => {
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

  it("is created and migrated on first open, and a second start applies nothing", async () => {
    expect(db.provider).toBe(provider);
    await db.ping();
    expect(await migrate(provider, target.url)).toEqual([]);
  });

  it("stores and reads back a stack with its resources", async () => {
    const stack = await db.prisma.stack.create({
      data: { id: "s1", name: "web", rootStackId: "s1", action: "CREATE", status: "IN_PROGRESS" },
    });
    await db.prisma.resource.create({ data: { id: "r1", stackId: stack.id, name: "server", type: "OS::Heat::None" } });
    const back = await db.prisma.stack.findUniqueOrThrow({ where: { id: "s1" } });
    expect(back).toMatchObject({ name: "web", action: "CREATE", status: "IN_PROGRESS", disableRollback: true });
    expect(await db.prisma.resource.count({ where: { stackId: "s1" } })).toBe(1);
  });

  it("refuses a second stack with the same name in a project", async () => {
    await db.prisma.stack.create({ data: { id: "s2", name: "dup", rootStackId: "s2", action: "CREATE", status: "COMPLETE" } });
    await expect(
      db.prisma.stack.create({ data: { id: "s3", name: "dup", rootStackId: "s3", action: "CREATE", status: "COMPLETE" } }),
    ).rejects.toThrow();
  });

  it("gives events a monotonic id", async () => {
    const a = await db.prisma.event.create({ data: { stackId: "s1", rootStackId: "s1", kind: "event" } });
    const b = await db.prisma.event.create({ data: { stackId: "s1", rootStackId: "s1", kind: "warning" } });
    expect(b.id).toBeGreaterThan(a.id);
  });
});
