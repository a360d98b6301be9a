import type { NextConfig } from "next";

const config: NextConfig = {
  // The engine, Prisma and native modules live in the plain Node process (server/main.ts);
  // pages reach them through tRPC and socket.io only.
  serverExternalPackages: ["@prisma/client", "better-sqlite3", "pg", "pino"],
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (npm run typecheck); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default config;
