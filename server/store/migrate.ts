/**
 * Applies the committed migrations (prisma/migrations/<provider>/NNNN_name/migration.sql) that
 * the database has not seen yet, each in its own transaction, so a first start needs no
 * manual step. Several processes may start at once against PostgreSQL: an advisory lock
 * makes them take turns.
 */
import fs from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { migrationsDir, type Provider } from "./schemaFiles";
import { sqlitePath } from "./databaseUrl";

const TABLE = "_kiln_migrations";

export function listMigrations(provider: Provider): { name: string; sql: string }[] {
  const dir = migrationsDir(provider);
  return fs
    .readdirSync(dir)
    .filter((d) => /^\d{4}_/.test(d))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export async function migrate(provider: Provider, url: string): Promise<string[]> {
  return provider === "sqlite" ? migrateSqlite(url) : migratePostgres(url);
}

function migrateSqlite(url: string): string[] {
  const file = sqlitePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Sqlite(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const applied = new Set(db.prepare(`SELECT name FROM ${TABLE}`).pluck().all() as string[]);
    const done: string[] = [];
    for (const m of listMigrations("sqlite")) {
      if (applied.has(m.name)) continue;
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(`INSERT INTO ${TABLE} (name, applied_at) VALUES (?, ?)`).run(m.name, new Date().toISOString());
      }).immediate();
      done.push(m.name);
    }
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(4242001)");
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${TABLE}`);
    const applied = new Set(rows.map((r) => r.name));
    const done: string[] = [];
    for (const m of listMigrations("postgresql")) {
      if (applied.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO ${TABLE} (name, applied_at) VALUES ($1, now())`, [m.name]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(4242001)").catch(() => {});
    await client.end();
  }
}
