import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom, withoutDatasource } from "./schemaVariants";
import { migrationsDir, PROVIDERS, schemaPath } from "./schemaFiles";

const read = (p: string) => fs.readFileSync(p, "utf8");

describe("one source of truth for the schema", () => {
  it("the PostgreSQL schema is exactly what prisma/schema.prisma generates (run npm run db:generate-schemas)", () => {
    expect(read(schemaPath("postgresql"))).toBe(postgresSchemaFrom(read(schemaPath("sqlite"))));
  });

  it.each(PROVIDERS)("the %s migrations end at the current schema (run npm run db:generate-schemas)", (provider) => {
    const dirs = fs.readdirSync(migrationsDir(provider)).filter((d) => /^\d{4}_/.test(d)).sort();
    expect(dirs.length).toBeGreaterThan(0);
    const snapshot = path.join(migrationsDir(provider), dirs.at(-1)!, "schema.prisma");
    expect(withoutDatasource(read(snapshot))).toBe(withoutDatasource(read(schemaPath(provider))));
  });

  it("both providers have the same migrations, in the same order", () => {
    const names = PROVIDERS.map((p) => fs.readdirSync(migrationsDir(p)).sort());
    expect(names[0]).toEqual(names[1]);
  });
});
