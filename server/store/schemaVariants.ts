/**
 * Derives the PostgreSQL Prisma schema from the SQLite one, which is the single source of
 * truth. Only the datasource and the generated client's location differ.
 */
export function postgresSchemaFrom(sqliteSchema: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by `npm run db:generate-schemas`: do not edit.\n";
  const out = sqliteSchema
    .replace('output     = "../server/store/generated/sqlite"', 'output     = "../../server/store/generated/postgresql"')
    .replace(/datasource db \{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}');
  if (out.includes('provider = "sqlite"') || !out.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the expected generator/datasource blocks");
  }
  return header + out;
}

/** A schema without its datasource block: how the connection URL is spelt makes no migration. */
export function withoutDatasource(schema: string): string {
  return schema.replace(/datasource db \{[^}]*\}/, "");
}
