/**
 * A Kiln runtime acting in the test cloud, for the cloud tests: a throw-away SQLite database,
 * the project member's credentials unless told, four workers. `close` deletes whatever stack a failed test
 * left, so the cloud keeps nothing of the run.
 */
import pino from "pino";
import { expect } from "vitest";
import type { StackRecord } from "../../engine/ports";
import { createRuntime, type Runtime } from "../../services/runtime";
import { openDatabase, type Database } from "../../store/database";
import { tempSqliteUrl, type TestDatabaseUrl } from "../../store/testing/testDatabases";
import { CloudDirectory } from "../openstackCloud";
import type { CloudCredentials } from "../credentials";
import { memberCredentials } from "./testCloud";

export interface CloudRuntime {
  rt: Runtime;
  clouds: CloudDirectory;
  /** The stack once its `action` has ended: its row. */
  settled(id: string, action: string, timeout?: number): Promise<StackRecord>;
  /** Resolves once the stack is deleted. */
  settledGone(id: string): Promise<void>;
  close(): Promise<void>;
}

export async function cloudRuntime(credentials: CloudCredentials = memberCredentials()): Promise<CloudRuntime> {
  const target: TestDatabaseUrl = tempSqliteUrl();
  const db: Database = await openDatabase(target.url);
  let clouds!: CloudDirectory;
  const rt = createRuntime(db, pino({ level: "silent" }), {
    publicUrl: () => "http://kiln.test",
    clouds: (wake) => (clouds = new CloudDirectory(wake, { credentials })),
  });
  rt.queue.start(4);
  const gone = async (id: string, timeout: number) => {
    for (const end = Date.now() + timeout; Date.now() < end && (await rt.store.getStack(id)); ) await new Promise((r) => setTimeout(r, 200));
    return !(await rt.store.getStack(id));
  };
  return {
    rt,
    clouds,
    async settled(id, action, timeout = 120_000) {
      await expect
        .poll(async () => {
          const s = await rt.store.getStack(id);
          return s && s.action === action && s.status !== "IN_PROGRESS" ? s.status : undefined;
        }, { timeout, interval: 200 })
        .toBeDefined();
      return (await rt.store.getStack(id))!;
    },
    async settledGone(id) {
      expect(await gone(id, 120_000), `stack ${id} deleted`).toBe(true);
    },
    async close() {
      for (const stack of await rt.store.listStacks("p")) {
        await rt.engine.deleteStack(stack.id).catch(() => undefined);
        await gone(stack.id, 120_000);
      }
      await rt.queue.stop();
      clouds.close();
      await db.close();
      await target.dispose();
    },
  };
}
