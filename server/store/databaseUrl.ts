import path from "node:path";
import { projectRoot, type Provider } from "./schemaFiles";

export const providerOf = (url: string): Provider => (url.startsWith("file:") ? "sqlite" : "postgresql");

/** Resolves `file:./data/kiln.db` against the project root, as a user reading the README expects. */
export function sqlitePath(url: string): string {
  const p = url.slice("file:".length);
  return p === ":memory:" ? p : path.resolve(projectRoot, p);
}
