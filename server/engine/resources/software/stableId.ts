import { createHash } from "node:crypto";

/**
 * A uuid-shaped id made from a seed (a resource id and what it names), so a create delivered
 * again after a crash finds the row its first delivery wrote instead of making another.
 */
export function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
