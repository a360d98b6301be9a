import type { Database } from "../store/database";
import type { Role } from "../config";

/** What health needs of a queue. */
export interface QueueStatus {
  isRunning: boolean;
  depth(): Promise<number>;
}

export interface HealthReport {
  ok: boolean;
  role: Role;
  database: { ok: boolean; provider: string; error?: string };
  queue: { ok: boolean; running: boolean; depth?: number; error?: string };
}

/** Database reachable, and (for roles that run workers) the queue consumers running. */
export async function checkHealth(db: Database, queue: QueueStatus, role: Role): Promise<HealthReport> {
  const database: HealthReport["database"] = { ok: true, provider: db.provider };
  try {
    await db.ping();
  } catch (e) {
    database.ok = false;
    database.error = (e as Error).message;
  }
  const needsWorkers = role !== "web";
  const q: HealthReport["queue"] = { ok: !needsWorkers || queue.isRunning, running: queue.isRunning };
  if (database.ok) {
    try {
      q.depth = await queue.depth();
    } catch (e) {
      q.ok = false;
      q.error = (e as Error).message;
    }
  }
  return { ok: database.ok && q.ok, role, database, queue: q };
}

const SEE_LOG = "not answering; the server log says why";

/**
 * What /healthz shows anyone, without credentials: whether each part answers, not why not (a
 * driver's message can name hosts, users and databases). The reasons go to the server log.
 */
export function publicHealth(report: HealthReport): HealthReport {
  const { error: databaseError, ...database } = report.database;
  const { error: queueError, ...queue } = report.queue;
  return {
    ...report,
    database: databaseError === undefined ? database : { ...database, error: SEE_LOG },
    queue: queueError === undefined ? queue : { ...queue, error: SEE_LOG },
  };
}
