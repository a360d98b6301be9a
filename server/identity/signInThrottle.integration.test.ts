/**
 * Failed sign-ins, counted in the database: refused past the limit until the window ends, and
 * shared by every web process (two database handles stand for two processes).
 */
import { describe, expect, it } from "vitest";
import type { Database } from "../store/database";
import { query, sql } from "../store/sql";
import { openedTwice } from "../store/testing/openedTwice";
import { testDatabases } from "../store/testing/testDatabases";
import { FAILURES_PER_ADDRESS, FAILURES_PER_USER, SIGN_IN_WINDOW_MS, SignInThrottle } from "./signInThrottle";

describe.each(testDatabases)("failed sign-ins on $provider", ({ create }) => {
  const db = openedTwice(create);
  let now = 1_000_000;
  const throttle = (db: Database, scope: string) => new SignInThrottle(db, scope, () => now);

  it("one address is refused after its failures, until the window ends", async () => {
    const t = throttle(db.one, "address");
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) {
      expect(await t.waitSeconds("10.0.0.1", `guess${i}`)).toBe(0);
      await t.failed("10.0.0.1", `guess${i}`);
    }
    expect(await t.waitSeconds("10.0.0.1", "admin")).toBe(SIGN_IN_WINDOW_MS / 1000);
    expect(await t.waitSeconds("10.0.0.2", "admin")).toBe(0);
    now += SIGN_IN_WINDOW_MS;
    expect(await t.waitSeconds("10.0.0.1", "admin")).toBe(0);
  });

  it("one user name is refused after failures from many addresses; a success clears it", async () => {
    const t = throttle(db.one, "user");
    for (let i = 0; i < FAILURES_PER_USER; i++) await t.failed(`10.0.${i}.1`, "admin");
    expect(await t.waitSeconds("192.168.1.1", "admin")).toBeGreaterThan(0);
    expect(await t.waitSeconds("192.168.1.1", "alice")).toBe(0);
    await t.succeeded("admin");
    expect(await t.waitSeconds("192.168.1.1", "admin")).toBe(0);
  });

  it("failures made through one web process are refused by another, at the same time too", async () => {
    const first = throttle(db.one, "shared");
    const second = throttle(db.another, "shared");
    await Promise.all(Array.from({ length: FAILURES_PER_ADDRESS }, (_, i) => (i % 2 ? first : second).failed("10.9.9.9", `guess${i}`)));
    expect(await second.waitSeconds("10.9.9.9", "admin")).toBe(SIGN_IN_WINDOW_MS / 1000);
    expect(await first.waitSeconds("10.9.9.9", "admin")).toBe(SIGN_IN_WINDOW_MS / 1000);
  });

  it("keeps no count whose window has ended", async () => {
    const t = throttle(db.one, "bounded");
    for (let i = 0; i < 50; i++) await t.failed(`a${i}`, "x");
    now += SIGN_IN_WINDOW_MS;
    await t.failed("late", "y");
    const left = await query<{ key: string }>(db.one, sql`SELECT "key" FROM "FailedAttempt"`);
    expect(left.map((r) => r.key).sort()).toEqual(["bounded:a:late", "bounded:u:y"]);
  });
});
