/** The first start on a real SQLite database: the admin, its project, and the stacks made before identity. */
import os from "node:os";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRuntime } from "../services/runtime";
import { openDatabase, type Database } from "../store/database";
import { stackRecord } from "../store/testing/stackRecord";
import { tempSqliteUrl, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { ensureAdmin } from "./firstStart";
import { Identity } from "./identity";
import { PROJECT_BEFORE_IDENTITY } from "./identityStore";

let target: TestDatabaseUrl;
let db: Database;
beforeEach(async () => {
  target = tempSqliteUrl();
  db = await openDatabase(target.url);
});
afterEach(async () => {
  await db.close();
  await target.dispose();
});

it("moves the stacks made before identity into the admin project, where the admin sees them; a second start changes nothing", async () => {
  const rt = createRuntime(db, pino({ level: "silent" }), { publicUrl: () => "http://kiln.test" });
  await rt.store.createStack(stackRecord({ id: "old-stack", projectId: PROJECT_BEFORE_IDENTITY, name: "old" }));
  const identity = new Identity(db, 60_000);
  await ensureAdmin(identity.store, { adminPassword: "first-password", dataDir: os.tmpdir() }, pino({ level: "silent" }));
  await ensureAdmin(identity.store, { adminPassword: "second-password", dataDir: os.tmpdir() }, pino({ level: "silent" }));

  expect(await identity.signIn("admin", "second-password")).toBeUndefined();
  const session = (await identity.signIn("admin", "first-password"))!;
  const caller = (await identity.callerFor(session.token))!;
  expect(caller.project).toMatchObject({ name: "admin", role: "admin" });
  expect((await rt.store.listStacks(caller.project!.id)).map((s) => s.name)).toEqual(["old"]);
  expect(await rt.store.listStacks(PROJECT_BEFORE_IDENTITY)).toEqual([]);
});
