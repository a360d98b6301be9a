/**
 * One real server for a whole test file, on a throw-away SQLite database: started before the
 * file's tests and stopped, with its database, after them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startServer, type ServerProcess } from "./serverProcess";

/** Registers the server's start and stop; the answer gives the running server inside tests. */
export function serverForSuite(name: string, env: Record<string, string> = {}): () => ServerProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kiln-${name}-`));
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await startServer(`file:${path.join(dir, "kiln.db")}`, env);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => server!;
}
