import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Notification, NotificationInput, StackRecord } from "../engine/ports";
import { openDatabase, type Database } from "../store/database";
import { PrismaStateStore } from "../store/prismaStateStore";
import { testCipher } from "../store/testing/testCipher";
import { stackRecord } from "../store/testing/stackRecord";
import { batchInTurn, query, runOf, sql } from "../store/sql";
import { tempPostgresUrl, testDatabases, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { LocalNotificationBus } from "./notificationBus";
import { listNotifications } from "./notificationHistory";
import { StoreNotifier } from "./storeNotifier";

let serial = 0;
const uid = (prefix: string) => `${prefix}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;

function stack(overrides: Partial<StackRecord> = {}): StackRecord {
  return stackRecord({ id: overrides.id ?? uid("stack"), projectId: "p1", name: uid("name"), status: "IN_PROGRESS", ...overrides });
}

const event = (stackId: string, resourceName: string, status = "IN_PROGRESS"): NotificationInput => ({
  stackId,
  kind: "event",
  resourceName,
  resourceType: "OS::Heat::None",
  action: "CREATE",
  status,
  reason: `state changed`,
  traversal: "t1",
});

describe.each(testDatabases)("notifications on $provider", ({ create }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  let store: PrismaStateStore;
  beforeAll(async () => {
    target = await create();
    db = await openDatabase(target.url);
    store = new PrismaStateStore(db, testCipher);
  });
  afterAll(async () => {
    await db?.close();
    await target?.dispose();
  });

  /** A root stack with a nested stack under its resource "group" and one under that, "group/0". */
  async function tree() {
    const root = stack();
    const group = stack({ parentResourceId: uid("res"), rootStackId: root.id, stackPath: "group" });
    const member = stack({ parentResourceId: uid("res"), rootStackId: root.id, stackPath: "group/0" });
    for (const s of [root, group, member]) await store.createStack(s);
    return { root, group, member };
  }

  it("persists a batch in order with rising ids, placing each stack in its tree", async () => {
    const { root, member } = await tree();
    const notifier = new StoreNotifier(db, new LocalNotificationBus());
    await notifier.notify([event(root.id, "a"), event(member.id, "b"), { stackId: root.id, kind: "warning", reason: "careful" }]);
    const stored = await listNotifications(db, { rootStackId: root.id, limit: 10 });
    expect(stored).toEqual([
      expect.objectContaining({ stackId: root.id, rootStackId: root.id, stackPath: "", resourceName: "a", status: "IN_PROGRESS" }),
      expect.objectContaining({ stackId: member.id, rootStackId: root.id, stackPath: "group/0", resourceName: "b" }),
      expect.objectContaining({ stackId: root.id, kind: "warning", reason: "careful", resourceName: null, action: null }),
    ]);
    expect(stored[1].id).toBeGreaterThan(stored[0].id);
    expect(stored[2].id).toBeGreaterThan(stored[1].id);
    expect(Date.parse(stored[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("stores any text as it was sent, absent values as absent", async () => {
    const { root } = await tree();
    const notifier = new StoreNotifier(db, new LocalNotificationBus());
    const reason = `failed: {"a": [1, 2]}, 'quoted' \\ back\\slash, "NULL", NULL, {}, é ✓`;
    await notifier.notify([
      { ...event(root.id, "NULL", "FAILED"), reason, physicalResourceId: "" },
      { stackId: root.id, kind: "warning", reason: "" },
    ]);
    const stored = await listNotifications(db, { rootStackId: root.id, limit: 10 });
    expect(stored).toEqual([
      expect.objectContaining({ resourceName: "NULL", physicalResourceId: "", status: "FAILED", reason }),
      expect.objectContaining({ kind: "warning", resourceName: null, physicalResourceId: null, status: null, traversal: null, reason: "" }),
    ]);
  });

  it("publishes only what is persisted, in id order, even when batches are sent concurrently", async () => {
    const { root, group } = await tree();
    const bus = new LocalNotificationBus();
    const published: Notification[] = [];
    const storedWhenPublished: Promise<Notification[]>[] = [];
    bus.subscribe(root.id, (batch) => {
      published.push(...batch);
      storedWhenPublished.push(listNotifications(db, { rootStackId: root.id, afterId: batch[0].id - 1, limit: batch.length }));
    });
    const notifier = new StoreNotifier(db, bus);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => notifier.notify([event(i % 2 ? root.id : group.id, `r${i}`), event(root.id, `r${i}`, "COMPLETE")])),
    );
    expect(published).toHaveLength(40);
    const ids = published.map((n) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(40);
    expect((await Promise.all(storedWhenPublished)).flat()).toEqual(published);
    expect(await listNotifications(db, { rootStackId: root.id, limit: 100 })).toEqual(published);
  });

  it("keeps ids monotonic between two notifiers on separate connections", async () => {
    const { root } = await tree();
    const other = await openDatabase(target.url);
    try {
      const a = new StoreNotifier(db, new LocalNotificationBus());
      const b = new StoreNotifier(other, new LocalNotificationBus());
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).notify([event(root.id, `x${i}`), event(root.id, `y${i}`)])));
      const stored = await listNotifications(db, { rootStackId: root.id, limit: 100 });
      expect(stored).toHaveLength(20);
      // Each batch stays contiguous and in order.
      for (let i = 0; i < 20; i += 2) {
        expect(stored[i].resourceName?.[0]).toBe("x");
        expect(stored[i + 1].resourceName).toBe(`y${stored[i].resourceName!.slice(1)}`);
        expect(stored[i + 1].id).toBeGreaterThan(stored[i].id);
      }
    } finally {
      await other.close();
    }
  });

  it("resumes from the last id seen with exactly the notifications missed", async () => {
    const { root, member } = await tree();
    const notifier = new StoreNotifier(db, new LocalNotificationBus());
    await notifier.notify([event(root.id, "a"), event(member.id, "b")]);
    const seen = await listNotifications(db, { rootStackId: root.id, limit: 100 });
    await notifier.notify([event(member.id, "c"), event(root.id, "d", "COMPLETE")]);
    await notifier.notify([event(stack().id, "unrelated")]);
    const missed = await listNotifications(db, { rootStackId: root.id, afterId: seen.at(-1)!.id, limit: 100 });
    expect(missed.map((n) => n.resourceName)).toEqual(["c", "d"]);
    const page = await listNotifications(db, { rootStackId: root.id, limit: 3 });
    expect(page.map((n) => n.resourceName)).toEqual(["a", "b", "c"]);
  });

  it("filters history by stack, kind and resource name", async () => {
    const { root, member } = await tree();
    const notifier = new StoreNotifier(db, new LocalNotificationBus());
    await notifier.notify([
      event(root.id, "a"),
      { stackId: root.id, kind: "debug", resourceName: "a", reason: "looking" },
      event(member.id, "a"),
      event(member.id, "b"),
    ]);
    expect((await listNotifications(db, { stackId: member.id, limit: 10 })).map((n) => n.resourceName)).toEqual(["a", "b"]);
    expect(await listNotifications(db, { rootStackId: root.id, kinds: ["debug"], limit: 10 })).toEqual([
      expect.objectContaining({ kind: "debug", reason: "looking" }),
    ]);
    expect(await listNotifications(db, { rootStackId: root.id, resourceName: "a", kinds: ["event"], limit: 10 })).toHaveLength(2);
    expect(await listNotifications(db, { projectId: "p1", rootStackId: root.id, limit: 10 })).toHaveLength(4);
  });

  it("still places a stack's notifications after the stack is deleted", async () => {
    const { root, member } = await tree();
    await new StoreNotifier(db, new LocalNotificationBus()).notify([event(member.id, "m")]);
    await store.deleteStack(member.id);
    // A fresh notifier (another process) that never saw the stack row.
    await new StoreNotifier(db, new LocalNotificationBus()).notify([event(member.id, "m", "COMPLETE")]);
    const stored = await listNotifications(db, { stackId: member.id, limit: 10 });
    expect(stored.map((n) => [n.rootStackId, n.stackPath, n.status])).toEqual([
      [root.id, "group/0", "IN_PROGRESS"],
      [root.id, "group/0", "COMPLETE"],
    ]);
  });

  it("persists a large batch, and publishes each notification with the id of the row that holds it", async () => {
    const { root, member } = await tree();
    const bus = new LocalNotificationBus();
    const published: Notification[] = [];
    bus.subscribe(root.id, (batch) => void published.push(...batch));
    const notifier = new StoreNotifier(db, bus);
    await notifier.notify(Array.from({ length: 1100 }, (_, i) => event(i % 3 ? root.id : member.id, `r${i}`, i % 2 ? "COMPLETE" : "IN_PROGRESS")));
    const stored = await listNotifications(db, { rootStackId: root.id, limit: 2000 });
    expect(stored.map((n) => n.resourceName)).toEqual(Array.from({ length: 1100 }, (_, i) => `r${i}`));
    expect(published).toEqual(stored);
  });
});

describe("notifications on PostgreSQL, beside a turn's writes", () => {
  it("commit in a transaction of their own, so that no turn holds the events' lock while its other writes wait (two processes' turns could deadlock)", async () => {
    const target = await tempPostgresUrl();
    const db = await openDatabase(target.url);
    try {
      const root = stack();
      await new PrismaStateStore(db, testCipher).createStack(root);
      const notifier = new StoreNotifier(db, new LocalNotificationBus());
      await notifier.notify([event(root.id, "before")]); // the stack's place is known from here on
      // Every pipelined connection busy: the write and the insert asked for meanwhile go in one flush.
      const busy: Promise<unknown>[] = [];
      for (let i = 0; i < 4; i++) {
        busy.push(query(db, sql`SELECT pg_sleep(0.3) AS "busy"`));
        await new Promise((r) => setImmediate(r));
      }
      await Promise.all([
        batchInTurn(db, [runOf(sql`UPDATE "Stack" SET "statusReason" = 'touched' WHERE "id" = ${root.id}`)]),
        notifier.notify([event(root.id, "beside")]),
        ...busy,
      ]);
      const writer = async (q: ReturnType<typeof sql>) => (await query<{ x: string }>(db, q))[0]!.x;
      const stackWriter = await writer(sql`SELECT CAST(xmin AS TEXT) AS "x" FROM "Stack" WHERE "id" = ${root.id}`);
      const eventWriter = await writer(sql`SELECT CAST(xmin AS TEXT) AS "x" FROM "Event" WHERE "resourceName" = 'beside'`);
      expect(eventWriter).not.toBe(stackWriter);
    } finally {
      await db.close();
      await target.dispose();
    }
  });
});
