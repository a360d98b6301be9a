/** A throw-away database opened twice, as two processes open it, for the tests of one describe block. */
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "../database";
import type { TestDatabaseUrl } from "./testDatabases";

export function openedTwice(create: () => Promise<TestDatabaseUrl>): { one: Database; another: Database } {
  const opened = {} as { one: Database; another: Database };
  let target: TestDatabaseUrl | undefined;
  beforeAll(async () => {
    target = await create();
    opened.one = await openDatabase(target.url);
    opened.another = await openDatabase(target.url);
  });
  afterAll(async () => {
    await opened.one?.close();
    await opened.another?.close();
    await target?.dispose();
  });
  return opened;
}
