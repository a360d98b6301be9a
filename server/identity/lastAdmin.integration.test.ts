/**
 * The last administrator cannot be taken away, even by two changes made at the same moment
 * that each take one of the last two: one passes, the other is refused, and one admin is left.
 * On PostgreSQL the two go through two connection pools, as from two web processes; on SQLite
 * through one process's connection (a second in the same process would wait on the first's
 * lock with the event loop blocked), which is how the embedded server runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperationRefused } from "../engine/errors";
import { openDatabase, type Database } from "../store/database";
import { testDatabases, type TestDatabaseUrl } from "../store/testing/testDatabases";
import { addRole, deleteUser, removeRole } from "./administration";
import { IdentityStore } from "./identityStore";

describe.each(testDatabases)("the last admin, on $provider", ({ provider, create }) => {
  let target: TestDatabaseUrl;
  const opened: Database[] = [];
  let one: IdentityStore;
  let other: IdentityStore;

  beforeAll(async () => {
    target = await create();
    opened.push(await openDatabase(target.url));
    if (provider === "postgresql") opened.push(await openDatabase(target.url));
    one = new IdentityStore(opened[0]!.prisma, opened[0]!.provider);
    other = new IdentityStore(opened.at(-1)!.prisma, opened.at(-1)!.provider);
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await target?.dispose();
  });

  /** Two admins of a project of their own, and no one else: the round's last two. */
  async function lastTwo(round: string) {
    const project = await one.createProject(`p-${round}`);
    for (const id of await one.adminUserIds()) await one.deleteUser(id);
    for (const name of [`a-${round}`, `b-${round}`]) await one.assignRole(await one.createUser(name, "hash"), project, "admin");
    return { project: `p-${round}`, a: `a-${round}`, b: `b-${round}` };
  }

  const outcome = (results: PromiseSettledResult<unknown>[]) => ({
    passed: results.filter((r) => r.status === "fulfilled").length,
    refused: results.filter((r) => r.status === "rejected" && r.reason instanceof OperationRefused && /would leave no administrator/.test(r.reason.message)).length,
  });

  it("two demotions at once of the last two admins: one passes, one is refused, one admin is left", async () => {
    for (let round = 0; round < 5; round++) {
      const { project, a, b } = await lastTwo(`demote${round}`);
      const results = await Promise.allSettled([addRole(one, a, project, "member"), addRole(other, b, project, "member")]);
      expect(outcome(results)).toEqual({ passed: 1, refused: 1 });
      expect((await one.adminUserIds()).size).toBe(1);
    }
  });

  it("two role removals, or two user deletions, at once of the last two admins: one passes, one admin is left", async () => {
    for (let round = 0; round < 3; round++) {
      const { project, a, b } = await lastTwo(`remove${round}`);
      expect(outcome(await Promise.allSettled([removeRole(one, a, project), removeRole(other, b, project)]))).toEqual({ passed: 1, refused: 1 });
      expect((await one.adminUserIds()).size).toBe(1);

      const again = await lastTwo(`delete${round}`);
      expect(outcome(await Promise.allSettled([deleteUser(one, again.a, "someone-else"), deleteUser(other, again.b, "someone-else")]))).toEqual({ passed: 1, refused: 1 });
      expect((await one.adminUserIds()).size).toBe(1);
    }
  });
});
