// Prisma CLI configuration. Kiln uses the CLI only to generate the client and to write
// migration SQL; the server applies migrations itself at start (server/store/migrate.ts).
// The JavaScript schema engine with a driver adapter avoids binary downloads.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const provider = process.env.KILN_PRISMA_PROVIDER === "postgresql" ? "postgresql" : "sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: provider === "postgresql" ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  adapter: async () =>
    provider === "postgresql"
      ? new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" })
      : new PrismaBetterSQLite3({ url: ":memory:" }),
});
