/**
 * Throw-away databases for store tests: a SQLite file in a temp directory, and a fresh
 * PostgreSQL database on the local server (KILN_TEST_POSTGRES_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";

export const postgresAdminUrl = process.env.KILN_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabaseUrl {
  url: string;
  dispose(): Promise<void>;
}

export function tempSqliteUrl(): TestDatabaseUrl {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-test-"));
  return {
    url: `file:${path.join(dir, "kiln.db")}`,
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function tempPostgresUrl(): Promise<TestDatabaseUrl> {
  const name = `kiln_test_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: async () => {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const testDatabases = [
  { provider: "sqlite", create: async () => tempSqliteUrl() },
  { provider: "postgresql", create: tempPostgresUrl },
] as const;
