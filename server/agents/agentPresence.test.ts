/** Agent presence, as the UI will read it, on SQLite and on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../store/database";
import { testDatabases, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { StoredAgentPresence } from "./agentPresence";

describe.each(testDatabases)("agent presence on $provider", ({ create }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  let presence: StoredAgentPresence;
  beforeAll(async () => {
    target = await create();
    db = await openDatabase(target.url);
    presence = new StoredAgentPresence(db);
  }, 30_000);
  afterAll(async () => {
    await db.close();
    await target.dispose();
  });

  const row = async (serverId: string) => (await presence.of([serverId]))[0];

  it("shows an agent connected, with its transport, until its connection ends", async () => {
    await presence.connected({ serverId: "s1", projectId: "p", connectionId: "c1", transport: "websocket", address: "10.0.0.5" });
    expect(await row("s1")).toMatchObject({ connected: true, transport: "websocket", address: "10.0.0.5", projectId: "p" });
    await presence.disconnected("s1", "c1");
    const after = await row("s1");
    expect(after).toMatchObject({ connected: false });
    expect(after!.disconnectedAt).toBeInstanceOf(Date);
  });

  it("keeps a reconnected agent connected when its older connection's end is told late", async () => {
    await presence.connected({ serverId: "s2", projectId: "p", connectionId: "old", transport: "websocket", address: "a" });
    await presence.connected({ serverId: "s2", projectId: "p", connectionId: "new", transport: "polling", address: "b" });
    await presence.disconnected("s2", "old");
    expect(await row("s2")).toMatchObject({ connected: true, transport: "polling", connectionId: "new" });
  });
});
