import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where each provider's schema and migrations live. */
export const PROVIDERS = ["sqlite", "postgresql"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

export const schemaPath = (provider: Provider) =>
  provider === "sqlite"
    ? path.join(projectRoot, "prisma", "schema.prisma")
    : path.join(projectRoot, "prisma", "postgresql", "schema.prisma");

export const migrationsDir = (provider: Provider) => path.join(projectRoot, "prisma", "migrations", provider);
