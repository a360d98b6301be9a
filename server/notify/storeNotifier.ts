/**
 * The engine's Notifier: persists each batch to the Event table — which assigns the global,
 * monotonic ids clients resume from — and only then publishes it on the bus. A browser that
 * asks for everything after the last id it saw, then follows the live stream, gets no gap and
 * no duplicate, because:
 *  - in this process, batches are persisted and published one at a time, so publication
 *    follows id order;
 *  - on PostgreSQL, inserts from all processes take one transaction-scoped advisory lock, so
 *    ids become visible in id order (a sequence alone hands out ids that can commit out of
 *    order, and a reader resuming after id 12 would never see 11 commit late). SQLite
 *    serialises writers by itself.
 */
import type { Notification, NotificationInput, Notifier } from "../engine/ports";
import type { Database } from "../store/database";
import { join, query, queryInTurn, raw, sql, type Sql } from "../store/sql";
import type { NotificationBus } from "./notificationBus";

/** Where a stack sits: stacks never move, so this is read once per stack. */
interface StackPlace {
  projectId: string;
  rootStackId: string;
  stackPath: string;
}

/** pg_advisory_xact_lock key serialising Event inserts ("kiln.evt" in ASCII). */
const EVENT_LOCK_KEY = 0x6b696c6e2e657674n;

/** Rows per INSERT (SQLite: 13 parameters each), well under both providers' limits. */
const insertChunk = 500;

/** Notifications sent in this turn of the event loop, stored together when it ends. */
interface Gathering {
  items: NotificationInput[];
  stored: Promise<void>;
}

/** A notification as its row now holds it: what was asked, where its stack is, its id and time. */
const stored = (n: NotificationInput, id: number, place: StackPlace, createdAt: Date): Notification => ({
  id,
  stackId: n.stackId,
  rootStackId: place.rootStackId,
  stackPath: place.stackPath,
  kind: n.kind,
  resourceName: n.resourceName ?? null,
  physicalResourceId: n.physicalResourceId ?? null,
  resourceType: n.resourceType ?? null,
  action: n.action ?? null,
  status: n.status ?? null,
  reason: n.reason ?? "",
  traversal: n.traversal ?? null,
  createdAt: createdAt.toISOString(),
});

export class StoreNotifier implements Notifier {
  private readonly places = new Map<string, StackPlace>();
  private tail: Promise<unknown> = Promise.resolve();
  private gathering?: Gathering;

  constructor(
    private readonly db: Database,
    private readonly bus: NotificationBus,
  ) {}

  notify(items: NotificationInput[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    if (this.gathering) {
      this.gathering.items.push(...items);
      return this.gathering.stored;
    }
    const batch: Gathering = { items: [...items], stored: Promise.resolve() };
    this.gathering = batch;
    // Batches sent in the same turn of the event loop (each job's events, from every job
    // running) are stored as one: one INSERT rather than one each.
    const gathered = new Promise<void>((resolve) => setImmediate(resolve));
    batch.stored = Promise.all([this.tail, gathered]).then(() => {
      this.gathering = undefined;
      return this.persistAndPublish(batch.items);
    });
    this.tail = batch.stored.catch(() => {});
    return batch.stored;
  }

  private async persistAndPublish(items: NotificationInput[]) {
    const places = await this.placesOf([...new Set(items.map((n) => n.stackId))]);
    const createdAt = new Date();
    const persisted: Notification[] = [];
    for (let i = 0; i < items.length; i += insertChunk) {
      const chunk = items.slice(i, i + insertChunk);
      const insert = this.insert(chunk, places, createdAt);
      // On PostgreSQL in a transaction of its own: it takes the events' lock, which a turn's
      // transaction would hold until the turn's other writes commit. Two processes' turns could
      // then each hold a row the other's writes wait for, one of them the lock: a deadlock
      // PostgreSQL breaks only after a second.
      const rows = await (this.db.provider === "postgresql" ? query<{ id: number | bigint }>(this.db, insert) : queryInTurn<{ id: number | bigint }>(this.db, insert));
      // Only the ids come back (the rows whole cost more to read than to write): both databases
      // draw them in the order the rows are inserted, which is the chunk's.
      const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      if (ids.length !== chunk.length) throw new Error(`storing ${chunk.length} events returned ${ids.length} ids`);
      chunk.forEach((n, k) => persisted.push(stored(n, ids[k]!, places.get(n.stackId)!, createdAt)));
    }
    this.bus.publish(persisted);
  }

  private insert(items: NotificationInput[], places: Map<string, StackPlace>, createdAt: Date): Sql {
    const columns = raw(
      `"projectId", "stackId", "rootStackId", "stackPath", "kind", "resourceName", "physicalResourceId", ` +
        `"resourceType", "action", "status", "reason", "traversal"`,
    );
    if (this.db.provider === "sqlite") {
      const tuple = (n: NotificationInput) => {
        const p = places.get(n.stackId)!;
        return sql`(${p.projectId}, ${n.stackId}, ${p.rootStackId}, ${p.stackPath}, ${n.kind}, ${n.resourceName ?? null},
          ${n.physicalResourceId ?? null}, ${n.resourceType ?? null}, ${n.action ?? null}, ${n.status ?? null},
          ${n.reason ?? ""}, ${n.traversal ?? null}, ${createdAt})`;
      };
      return sql`INSERT INTO "Event" (${columns}, "createdAt") VALUES ${join(items.map(tuple), ", ")} RETURNING "id"`;
    }
    // One statement, so one transaction: the lock is taken before any id is drawn and held
    // until the rows are committed. `ord` keeps the batch's order in its ids. The rows travel
    // as one array per column, so the statement's text is the same for any number of rows:
    // prepared once, where a VALUES list per batch size was parsed and planned every time.
    const column = (value: (n: NotificationInput, p: StackPlace) => string | null) =>
      items.map((n) => value(n, places.get(n.stackId)!));
    return sql`WITH serialised AS (SELECT pg_advisory_xact_lock(${raw(String(EVENT_LOCK_KEY))}))
      INSERT INTO "Event" (${columns}, "createdAt")
      SELECT v."projectId", v."stackId", v."rootStackId", v."stackPath", v."kind", v."resourceName",
        v."physicalResourceId", v."resourceType", v."action", v."status", v."reason", v."traversal",
        CAST(${createdAt.toISOString()} AS TIMESTAMP(3))
      FROM serialised, unnest(
        CAST(${column((_, p) => p.projectId)} AS TEXT[]), CAST(${column((n) => n.stackId)} AS TEXT[]),
        CAST(${column((_, p) => p.rootStackId)} AS TEXT[]), CAST(${column((_, p) => p.stackPath)} AS TEXT[]),
        CAST(${column((n) => n.kind)} AS TEXT[]), CAST(${column((n) => n.resourceName ?? null)} AS TEXT[]),
        CAST(${column((n) => n.physicalResourceId ?? null)} AS TEXT[]), CAST(${column((n) => n.resourceType ?? null)} AS TEXT[]),
        CAST(${column((n) => n.action ?? null)} AS TEXT[]), CAST(${column((n) => n.status ?? null)} AS TEXT[]),
        CAST(${column((n) => n.reason ?? "")} AS TEXT[]), CAST(${column((n) => n.traversal ?? null)} AS TEXT[])
      ) WITH ORDINALITY AS v(${columns}, "ord")
      ORDER BY v."ord"
      RETURNING "id"`;
  }

  private async placesOf(stackIds: string[]): Promise<Map<string, StackPlace>> {
    const out = new Map<string, StackPlace>();
    const missing = stackIds.filter((id) => {
      const known = this.places.get(id);
      if (known) out.set(id, known);
      return !known;
    });
    if (missing.length === 0) return out;
    const ids = join(
      missing.map((id) => sql`${id}`),
      ", ",
    );
    const stacks = await query<StackPlace & { id: string }>(
      this.db,
      sql`SELECT "id", "projectId", "rootStackId", "stackPath" FROM "Stack" WHERE "id" IN (${ids})`,
    );
    for (const s of stacks) {
      const place = { projectId: s.projectId, rootStackId: s.rootStackId, stackPath: s.stackPath };
      this.places.set(s.id, place);
      out.set(s.id, place);
    }
    for (const id of missing.filter((id) => !out.has(id))) {
      // A stack deleted before this process saw it: its earlier events know where it was.
      const [last] = await query<StackPlace>(
        this.db,
        sql`SELECT "projectId", "rootStackId", "stackPath" FROM "Event" WHERE "stackId" = ${id} ORDER BY "id" DESC LIMIT 1`,
      );
      out.set(id, last ?? { projectId: "default", rootStackId: id, stackPath: "" });
    }
    return out;
  }
}

