/** The first start on a real SQLite database: the admin, its project, and the stacks made before identity. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRuntime } from "../services/runtime";
import { openDatabase, type Database } from "../store/database";
import { stackRecord } from "../store/testing/stackRecord";
import { tempSqliteUrl, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { ensureAdmin, PASSWORD_FILE } from "./firstStart";
import { BuiltInIdentity } from "./builtInIdentity";
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
  const identity = new BuiltInIdentity(db, 60_000);
  await ensureAdmin(identity.store, { adminPassword: "first-password", dataDir: os.tmpdir() }, pino({ level: "silent" }));
  await ensureAdmin(identity.store, { adminPassword: "second-password", dataDir: os.tmpdir() }, pino({ level: "silent" }));

  expect(await identity.signIn("admin", "second-password")).toBeUndefined();
  const session = (await identity.signIn("admin", "first-password"))!;
  const caller = (await identity.callerFor(session.token))!;
  expect(caller.project).toMatchObject({ name: "admin", role: "admin" });
  expect((await rt.store.listStacks(caller.project!.id)).map((s) => s.name)).toEqual(["old"]);
  expect(await rt.store.listStacks(PROJECT_BEFORE_IDENTITY)).toEqual([]);
});

it("the generated password goes to a new file only the server's user reads, never into one already there (another user's, or a link)", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-first-start-"));
  const file = path.join(dataDir, PASSWORD_FILE);
  const planted = path.join(dataDir, "planted");
  fs.writeFileSync(planted, "", { mode: 0o666 });
  fs.chmodSync(planted, 0o666);
  fs.symlinkSync(planted, file);
  try {
    await ensureAdmin(new BuiltInIdentity(db, 60_000).store, { adminPassword: undefined, dataDir }, pino({ level: "silent" }));
    expect(fs.readFileSync(planted, "utf8")).toBe("");
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
