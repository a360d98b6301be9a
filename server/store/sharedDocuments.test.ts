/** Shared documents (sharedDocuments.ts) against what can go wrong around them: a wrong key, a database restored under a running server. */
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { PrismaStateStore } from "./prismaStateStore";
import { aesGcmCipher, SecretKeyMismatch } from "./columnCipher";
import { checkKeyOpensStoredData } from "./secretKey";
import { execute, sql } from "./sql";
import { testCipher } from "./testing/testCipher";
import { testDatabases, type TestDatabaseUrl } from "./testing/testDatabases";

const bigFiles = () => ({ "big.yaml": `heat_template_version: 2018-08-31\ndescription: ${"x".repeat(20_000)}\n` });
let n = 0;
const version = (files: Record<string, string>, environment: string[] = []) => ({
  id: `tmpl-${++n}-${Math.random().toString(36).slice(2)}`,
  projectId: "p1",
  template: "heat_template_version: 2018-08-31\n",
  files,
  environment,
});

describe.each(testDatabases)("shared documents on $provider", ({ create }) => {
  const open: { db: Database; target: TestDatabaseUrl }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.db.close();
      await o.target.dispose();
    }
  });
  const fresh = async () => {
    const target = await create();
    const db = await openDatabase(target.url);
    open.push({ db, target });
    return { db, url: target.url };
  };

  it("a server started with another key is refused at startup when the only sealed data is a shared document", async () => {
    const { db } = await fresh();
    const store = new PrismaStateStore(db, testCipher);
    const v = version(bigFiles());
    await store.saveTemplate(v);
    const wrong = aesGcmCipher(Buffer.alloc(32, 9));
    // What the startup check is for: a wrong key is named at startup, not at the first read of a stack.
    const atStartup = await checkKeyOpensStoredData(db, wrong).then(() => "started", (e) => e);
    const atRead = await new PrismaStateStore(db, wrong).getTemplate(v.id).then(() => "read", (e) => e);
    expect(atRead).toBeInstanceOf(SecretKeyMismatch);
    expect(atStartup).toBeInstanceOf(SecretKeyMismatch);
  });

  it("a document the process remembers writing is written again when the database no longer holds it (restored backup)", async () => {
    const { db, url } = await fresh();
    const store = new PrismaStateStore(db, testCipher);
    const files = bigFiles();
    await store.saveTemplate(version(files));
    // The database is restored from a backup taken before that document was written.
    await execute(db, sql`DELETE FROM "SharedDocument"`);
    const later = version({ ...files });
    await store.saveTemplate(later);
    const reader = new PrismaStateStore(await openDatabase(url).then((d) => (open.push({ db: d, target: { url, dispose: async () => {} } }), d)), testCipher);
    expect(await reader.getTemplate(later.id).catch((e: Error) => e.message)).toEqual(later);
  });
});
