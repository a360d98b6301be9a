/**
 * The socket.io gateway with a real socket.io client over a real connection, on SQLite: a
 * subscriber gets what it missed, then live notifications, each once and in order; and a
 * client that stops reading costs the server a bounded buffer, then gets everything once it
 * reads again. Both with the one-process (ordered) bus and with an unordered one, as when
 * scaled out.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import type { Server } from "socket.io";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Notification, NotificationInput } from "../engine/ports";
import { LocalNotificationBus, type NotificationBus } from "../notify/notificationBus";
import { createRuntime, type Runtime } from "../services/runtime";
import { openDatabase, type Database } from "../store/database";
import { tempSqliteUrl, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { Access } from "../identity/access";
import { addRole, createProject, createUser } from "../identity/administration";
import { AllowedHosts } from "../identity/allowedHosts";
import { BuiltInIdentity } from "../identity/builtInIdentity";
import { stackRecord } from "../store/testing/stackRecord";
import { attachGateway } from "./gateway";

const STACK = "stack-1";

/** The local bus, claiming to be unordered: listeners must then read from the database. */
class UnorderedBus implements NotificationBus {
  readonly ordered = false;
  private readonly inner = new LocalNotificationBus();
  publish(batch: Notification[]) {
    this.inner.publish(batch);
  }
  subscribe(root: string, listener: (b: Notification[]) => void) {
    return this.inner.subscribe(root, listener);
  }
}

describe.each([
  { name: "ordered (one process)", bus: () => undefined },
  { name: "unordered (scaled out)", bus: () => new UnorderedBus() },
])("the gateway with the $name bus", ({ bus }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  let rt: Runtime;
  let server: http.Server;
  let io: Server;
  let url: string;
  let token: string;
  const clients: ClientSocket[] = [];

  beforeEach(async () => {
    target = tempSqliteUrl();
    db = await openDatabase(target.url);
    rt = createRuntime(db, pino({ level: "silent" }), { publicUrl: () => "http://kiln.test", bus: bus() });
    const identity = new BuiltInIdentity(db, 60_000);
    await createUser(identity.store, "watcher", "watcher-password");
    const project = await createProject(identity.store, "watched");
    await addRole(identity.store, "watcher", "watched", "reader");
    token = (await identity.signIn("watcher", "watcher-password"))!.token;
    await rt.store.createStack(stackRecord({ id: STACK, projectId: project.id, name: "watched", status: "IN_PROGRESS" }));
    server = http.createServer();
    io = attachGateway(server, rt, new Access(db, identity, new AllowedHosts(undefined, []), false));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await io.close();
    await db.close();
    await target.dispose();
  });

  const notify = (count: number, reason = "state changed") =>
    rt.notifier.notify(Array.from({ length: count }, (_, i): NotificationInput => ({ stackId: STACK, kind: "event", resourceName: `r${i}`, action: "CREATE", status: "COMPLETE", reason })));

  /** A client subscribed to the stack, collecting every notification id it receives. */
  async function subscriber(afterId = 0) {
    const client = connect(url, { transports: ["websocket"], forceNew: true, auth: { token } });
    clients.push(client);
    const ids: number[] = [];
    client.on("notifications", (m: { items: Notification[] }) => ids.push(...m.items.map((n) => n.id)));
    await new Promise<void>((resolve) => client.on("connect", resolve));
    await new Promise((resolve) => client.emit("subscribe", { stackId: STACK, afterId }, resolve));
    return { client, ids };
  }

  const allIds = async () => (await db.prisma.event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((e) => e.id);

  it("sends what was missed after the given id, then live notifications, each once and in order", async () => {
    await notify(40);
    const before = await allIds();
    const { ids } = await subscriber(before[9]);
    await notify(25);
    await notify(25);
    const expected = (await allIds()).slice(10);
    await expect.poll(() => ids.length).toBe(expected.length);
    expect(ids).toEqual(expected);
  });

  it("ends a live connection when its session expires, as it ends one signed out", async () => {
    const brief = (await new BuiltInIdentity(db, 1_500).signIn("watcher", "watcher-password"))!.token;
    const client = connect(url, { transports: ["websocket"], forceNew: true, auth: { token: brief } });
    clients.push(client);
    const ended = new Promise<string>((resolve) => client.on("disconnect", resolve));
    await new Promise<void>((resolve) => client.on("connect", resolve));
    expect(await ended).toBe("io server disconnect");
  });

  it("keeps a bounded buffer for a client that stops reading, and sends it everything once it reads again", async () => {
    const { client, ids } = await subscriber();
    const tcp = (client.io.engine.transport as unknown as { ws: { _socket: import("node:net").Socket } }).ws._socket;
    tcp.pause();
    const serverSide = [...io.sockets.sockets.values()][0]!;
    const queued = () => (serverSide.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
    let mostQueued = 0;
    // ~25 MB of notifications in 250 batches: far more than the kernel buffers between the two.
    for (let i = 0; i < 250; i++) {
      await notify(100, "x".repeat(1000));
      mostQueued = Math.max(mostQueued, queued());
    }
    expect(mostQueued).toBeLessThanOrEqual(9);
    expect(ids.length).toBeLessThan(25_000);
    tcp.resume();
    const expected = await allIds();
    await expect.poll(() => ids.length, { timeout: 30_000 }).toBe(expected.length);
    expect(ids).toEqual(expected);
  }, 60_000);
});
