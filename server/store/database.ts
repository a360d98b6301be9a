/**
 * Opens Kiln's database: SQLite (the embedded default, a file under ./data) or PostgreSQL,
 * both through Prisma's driver adapters, migrated before first use.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite";
import { PrismaClient as PostgresClient } from "./generated/postgresql";
import { migrate } from "./migrate";
import { SqliteDirect } from "./sqliteDirect";
import { PostgresDirect } from "./postgresDirect";
import { providerOf, sqlitePath } from "./databaseUrl";
import type { Provider } from "./schemaFiles";

/** Both generated clients have the same models; the SQLite one's type stands for both. */
export type Prisma = SqliteClient;

export interface Database {
  provider: Provider;
  prisma: Prisma;
  /** SQLite only: the direct connection every write of the server goes through (see sqliteDirect.ts). */
  direct?: SqliteDirect;
  /** PostgreSQL only: the pool's statements of the hot path, past Prisma (see postgresDirect.ts). */
  postgres?: PostgresDirect;
  /** Cheap round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  await migrate(provider, url);
  const pool = provider === "postgresql" ? new pg.Pool({ connectionString: url }) : undefined;
  // An idle connection the server dropped (a restart, say) is taken out of the pool by pg; its
  // error must not end the process. The next statement opens a new connection.
  pool?.on("error", () => {});
  const prisma = pool
    ? (new PostgresClient({ adapter: new PrismaPg(pool) }) as unknown as Prisma)
    : new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: sqlitePath(url) }) });
  if (provider === "sqlite") {
    // WAL lets readers run beside the writer; NORMAL is durable across process crashes.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  }
  const direct = provider === "sqlite" ? SqliteDirect.open(sqlitePath(url)) : undefined;
  const pipelined = provider === "postgresql" ? PostgresDirect.pipelined(url) : undefined;
  pipelined?.on("error", () => {}); // as the pool's
  return {
    provider,
    prisma,
    direct,
    postgres: pipelined && new PostgresDirect(pipelined),
    ping: async () => {
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      direct?.close();
      await pool?.end();
      await pipelined?.end();
    },
  };
}

