/**
 * `npm run db:generate-schemas`: writes the PostgreSQL schema from prisma/schema.prisma and,
 * for each provider, a new migration when the schema changed since the last one. Each
 * migration folder keeps a snapshot of the schema it migrates to, so the next migration is a
 * diff between two data models and needs no shadow database.
 *
 *   npm run db:generate-schemas -- add_stack_tags
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { postgresSchemaFrom, withoutDatasource } from "./schemaVariants";
import { migrationsDir, PROVIDERS, schemaPath, type Provider } from "./schemaFiles";

const name = (process.argv[2] ?? "change").replace(/[^a-z0-9_]/gi, "_");

fs.mkdirSync(path.dirname(schemaPath("postgresql")), { recursive: true });
fs.writeFileSync(schemaPath("postgresql"), postgresSchemaFrom(fs.readFileSync(schemaPath("sqlite"), "utf8")));

for (const provider of PROVIDERS) writeMigrationIfChanged(provider);

function writeMigrationIfChanged(provider: Provider) {
  const dir = migrationsDir(provider);
  fs.mkdirSync(dir, { recursive: true });
  const existing = fs.readdirSync(dir).filter((d) => /^\d{4}_/.test(d)).sort();
  const last = existing.at(-1);
  const current = fs.readFileSync(schemaPath(provider), "utf8");
  const lastSnapshot = last ? path.join(dir, last, "schema.prisma") : undefined;
  if (lastSnapshot && withoutDatasource(fs.readFileSync(lastSnapshot, "utf8")) === withoutDatasource(current)) {
    console.log(`${provider}: no schema change since ${last}`);
    return;
  }
  const from = lastSnapshot ? ["--from-schema-datamodel", lastSnapshot] : ["--from-empty"];
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", schemaPath(provider), "--script"],
    { env: { ...process.env, KILN_PRISMA_PROVIDER: provider }, encoding: "utf8" },
  );
  const next = `${String(existing.length + 1).padStart(4, "0")}_${existing.length ? name : "init"}`;
  fs.mkdirSync(path.join(dir, next));
  fs.writeFileSync(path.join(dir, next, "migration.sql"), sql);
  fs.writeFileSync(path.join(dir, next, "schema.prisma"), current);
  console.log(`${provider}: wrote ${path.join(dir, next)}`);
}
