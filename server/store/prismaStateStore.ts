/**
 * The engine's StateStore over Kiln's database (SQLite or PostgreSQL). The hot path — lock,
 * unlock, arrive, arrivals, reading and writing one resource or sync point — is one raw
 * statement each (arrive on SQLite: the arrivals of a turn in one short transaction), because a raw
 * statement costs a fraction of a Prisma model call. Semantics follow the in-memory reference,
 * server/engine/testing/memoryStore.ts; the contract test runs the same suite on all three.
 */
import {
  type Arrival,
  type LockRunner,
  type RawTemplateRecord,
  type ResourceRecord,
  type StackRecord,
  type StackTraversalAfterWrite,
  type StateStore,
  type SyncPointRecord,
} from "../engine/ports";
import type { ColumnCipher } from "./columnCipher";
import type { Database } from "./database";
import {
  json,
  resourceFromRow,
  resourceStateFromRow,
  sealedJson,
  resourceSetList,
  stackFromRow,
  stackStateFromRow,
  stackSetList,
  syncPointFromRow,
  templateFromRow,
  type ResourceRow,
  type StackRow,
  type SyncPointRow,
  type TemplateRow,
} from "./records";
import { batch, batchInTurn, execute, join, query, queryInTurn, raw, rowsOf, runOf, sql, tuples, type Sql, type Statement } from "./sql";
import { DuplicateStackName } from "../engine/errors";
import { isSharedReference, SHARED_FROM_CHARACTERS, SharedDocuments } from "./sharedDocuments";

interface PendingArrival {
  traversal: string;
  node: string;
  predecessor: string;
  /** The payload, sealed. */
  payload: string;
  answer(ready: boolean): void;
  fail(e: unknown): void;
}

/** Rows per multi-row INSERT on SQLite: well under its bound-parameter limit. */
const insertChunk = 200;

/** A table's columns as inserted, with their PostgreSQL types (for `unnested`). */
type InsertColumns = readonly (readonly [name: string, type: string])[];

const RESOURCE_INSERT_COLUMNS: InsertColumns = [
  ["id", "TEXT"], ["stackId", "TEXT"], ["name", "TEXT"], ["type", "TEXT"], ["physicalId", "TEXT"], ["action", "TEXT"],
  ["status", "TEXT"], ["statusReason", "TEXT"], ["templateId", "TEXT"], ["requires", "TEXT"], ["replaces", "TEXT"],
  ["replacedBy", "TEXT"], ["lockTraversal", "TEXT"], ["convergedTraversal", "TEXT"], ["properties", "TEXT"],
  ["attributes", "TEXT"], ["data", "TEXT"], ["createdAt", "TIMESTAMP(3)"], ["updatedAt", "TIMESTAMP(3)"],
];

const SYNC_POINT_COLUMNS: InsertColumns = [["traversal", "TEXT"], ["node", "TEXT"], ["stackId", "TEXT"], ["remaining", "INTEGER"], ["successors", "TEXT"]];

const columnList = (columns: InsertColumns) => raw(columns.map(([name]) => `"${name}"`).join(", "));

/**
 * Rows given to PostgreSQL as one array per column, `unnest(…) AS "given" (…)`: the statement's
 * text is the same for any number of rows, so it is prepared once and binds one parameter a
 * column. A VALUES list binds one a value: 250 resource rows, 4,750 parameters, were parsed and
 * planned every time, 17 ms of the server's time against 4 ms so.
 */
function unnested(columns: InsertColumns, rows: readonly unknown[][]): Sql {
  const arrays = join(
    columns.map(([, type], i) => sql`CAST(${rows.map((row) => row[i])} AS ${raw(`${type}[]`)})`),
    ", ",
  );
  return sql`unnest(${arrays}) AS "given" (${columnList(columns)})`;
}

export class PrismaStateStore implements StateStore {
  /** `cipher` encrypts the columns that may carry secrets (columnCipher.ts). */
  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
  ) {
    this.shared = new SharedDocuments(db, cipher);
  }

  /** The large parts of template versions, each stored once (sharedDocuments.ts). */
  private readonly shared: SharedDocuments;
  private readonly stack = (row: StackRow) => stackFromRow(row, this.cipher);
  private readonly resource = (row: ResourceRow) => resourceFromRow(row, this.cipher);

  /**
   * A large files map is stored as its shared document's id (a JSON string where a map would be),
   * a large environment document as `{"shared": id}` (where a string would be).
   */
  async saveTemplate(t: RawTemplateRecord) {
    const filesId = await this.shared.saveFiles(t.projectId, t.files);
    const environment = [];
    for (const doc of t.environment) environment.push(doc.length < SHARED_FROM_CHARACTERS ? doc : { shared: await this.shared.save(t.projectId, doc) });
    await execute(
      this.db,
      sql`INSERT INTO "RawTemplate" ("id", "projectId", "template", "files", "environment", "createdAt")
          VALUES (${t.id}, ${t.projectId}, ${t.template}, ${sealedJson(filesId ?? t.files, this.cipher)}, ${sealedJson(environment, this.cipher)}, ${new Date()})
          ON CONFLICT ("id") DO UPDATE SET "projectId" = excluded."projectId", "template" = excluded."template",
            "files" = excluded."files", "environment" = excluded."environment"`,
    );
  }

  async getTemplate(id: string) {
    const [row] = await query<TemplateRow>(
      this.db,
      sql`SELECT "id", "projectId", "template", "files", "environment" FROM "RawTemplate" WHERE "id" = ${id}`,
    );
    if (!row) return undefined;
    const stored = templateFromRow(row, this.cipher);
    const files: unknown = stored.files;
    const environment: unknown[] = stored.environment;
    const ids = environment.filter(isSharedReference).map((r) => r.shared);
    const texts = ids.length ? await this.shared.load(ids) : undefined;
    return {
      ...stored,
      files: typeof files === "string" ? await this.shared.loadFiles(stored.projectId, files) : stored.files,
      environment: environment.map((doc) => (isSharedReference(doc) ? texts!.get(doc.shared)! : (doc as string))),
    };
  }

  async createStack(s: StackRecord) {
    try {
      await execute(
        this.db,
        sql`INSERT INTO "Stack" ("id", "projectId", "name", "parentResourceId", "rootStackId", "stackPath", "action",
              "status", "statusReason", "templateId", "prevTemplateId", "parameters", "currentTraversal",
              "disableRollback", "timeoutMins", "createdAt", "updatedAt")
            VALUES (${s.id}, ${s.projectId}, ${s.name}, ${s.parentResourceId}, ${s.rootStackId}, ${s.stackPath},
              ${s.action}, ${s.status}, ${s.statusReason}, ${s.templateId}, ${s.prevTemplateId}, ${sealedJson(s.parameters, this.cipher)},
              ${s.currentTraversal}, ${s.disableRollback}, ${s.timeoutMins}, ${new Date(s.createdAt)},
              ${new Date(s.updatedAt)})`,
      );
    } catch (e) {
      if (isUniqueViolation(e) && (await this.findStackByName(s.projectId, s.name))) throw new DuplicateStackName(s.name);
      throw e;
    }
  }

  async getStack(id: string) {
    const [row] = await query<StackRow>(this.db, sql`SELECT * FROM "Stack" WHERE "id" = ${id}`);
    return row && this.stack(row);
  }

  async getStackState(id: string) {
    const [row] = await query<StackRow>(this.db, sql`SELECT * FROM "Stack" WHERE "id" = ${id}`);
    return row && stackStateFromRow(row);
  }

  async findStackByName(projectId: string, name: string) {
    const [row] = await query<StackRow>(
      this.db,
      sql`SELECT * FROM "Stack" WHERE "projectId" = ${projectId} AND "name" = ${name}`,
    );
    return row && this.stack(row);
  }

  async listStacks(projectId: string) {
    const rows = await query<StackRow>(
      this.db,
      sql`SELECT * FROM "Stack" WHERE "projectId" = ${projectId} AND "parentResourceId" IS NULL
          ORDER BY "createdAt", "name"`,
    );
    return rows.map(this.stack);
  }

  async childStacks(parentResourceIds: string[]) {
    const out: StackRecord[] = [];
    for (const ids of chunks([...new Set(parentResourceIds)], insertChunk)) {
      const rows = await query<StackRow>(
        this.db,
        sql`SELECT * FROM "Stack" WHERE "parentResourceId" IN (${join(ids.map((id) => sql`${id}`), ", ")})
            ORDER BY "createdAt", "name"`,
      );
      out.push(...rows.map(this.stack));
    }
    return out;
  }

  async updateStack(id: string, patch: Partial<StackRecord>, ifTraversal?: string | null) {
    const guard =
      ifTraversal === undefined
        ? sql``
        : ifTraversal === null
          ? sql` AND "currentTraversal" IS NULL`
          : sql` AND "currentTraversal" = ${ifTraversal}`;
    const changed = await execute(this.db, sql`UPDATE "Stack" SET ${stackSetList(patch, this.cipher)} WHERE "id" = ${id}${guard}`);
    return changed > 0;
  }

  async deleteStack(id: string) {
    await execute(this.db, sql`DELETE FROM "Stack" WHERE "id" = ${id}`);
  }

  async listResources(stackId: string) {
    const rows = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE "stackId" = ${stackId} ORDER BY "createdAt", "id"`,
    );
    return rows.map(this.resource);
  }

  async listResourceIds(stackId: string) {
    return query<{ id: string; name: string }>(this.db, sql`SELECT "id", "name" FROM "Resource" WHERE "stackId" = ${stackId}`);
  }

  async countTreeResources(rootStackId: string) {
    const [row] = await query<{ n: number | bigint }>(
      this.db,
      // As a join: SQLite read the tree's stacks into a list first, twice the time at 3,000 rows.
      sql`SELECT COUNT(*) AS "n" FROM "Resource" JOIN "Stack" ON "Stack"."id" = "Resource"."stackId" WHERE "Stack"."rootStackId" = ${rootStackId}`,
    );
    return Number(row?.n ?? 0);
  }

  async getResource(id: string) {
    const [row] = await query<ResourceRow>(this.db, sql`SELECT * FROM "Resource" WHERE "id" = ${id}`);
    return row && this.resource(row);
  }

  async findResources(stackId: string, name: string) {
    const rows = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE "stackId" = ${stackId} AND "name" = ${name} ORDER BY "createdAt", "id"`,
    );
    return rows.map(this.resource);
  }

  async findResourcesNamed(stackId: string, names: readonly string[]) {
    if (names.length === 0) return [];
    const rows = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE "stackId" = ${stackId} AND "name" IN (${join(names.map((n) => sql`${n}`), ", ")}) ORDER BY "createdAt", "id"`,
    );
    return rows.map(this.resource);
  }

  async findResourceStates(stackId: string, name: string) {
    const rows = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE "stackId" = ${stackId} AND "name" = ${name} ORDER BY "createdAt", "id"`,
    );
    return rows.map(resourceStateFromRow);
  }

  async getResourceState(id: string) {
    const [row] = await query<ResourceRow>(this.db, sql`SELECT * FROM "Resource" WHERE "id" = ${id}`);
    return row && resourceStateFromRow(row);
  }

  /**
   * Inserts the rows; a row whose id exists already is left as it is, so creating again (a
   * redelivered job) never clobbers a row's lock or progress.
   */
  async createResources(rows: ResourceRecord[]) {
    const stored = rows.map((r) => this.insertedResource(r));
    // The project is the stack's: every table holding a user's data carries it.
    const project = (stackId: Sql) => sql`COALESCE((SELECT "projectId" FROM "Stack" WHERE "id" = ${stackId}), 'default')`;
    if (this.db.provider === "postgresql") {
      const given = unnested(RESOURCE_INSERT_COLUMNS, stored);
      await execute(
        this.db,
        sql`INSERT INTO "Resource" (${columnList(RESOURCE_INSERT_COLUMNS)}, "projectId")
            SELECT "given".*, ${project(sql`"given"."stackId"`)} FROM ${given}
            ON CONFLICT ("id") DO NOTHING`,
      );
      return;
    }
    // SQLite names a VALUES list's columns column1, column2…: the stack's id is the second.
    const statements = chunks(stored, insertChunk).map((part) =>
      runOf(
        sql`INSERT INTO "Resource" (${columnList(RESOURCE_INSERT_COLUMNS)}, "projectId")
            SELECT "given".*, ${project(sql`"given"."column2"`)} FROM (VALUES ${tuples(part)}) AS "given" WHERE true
            ON CONFLICT ("id") DO NOTHING`,
      ),
    );
    await this.runAll(statements);
  }

  /** A new row's values as stored, in the order of RESOURCE_INSERT_COLUMNS. */
  private insertedResource(r: ResourceRecord): unknown[] {
    return [
      r.id, r.stackId, r.name, r.type, r.physicalId, r.action, r.status, r.statusReason, r.templateId, json(r.requires),
      r.replaces, r.replacedBy, r.lockTraversal, r.convergedTraversal, sealedJson(r.properties, this.cipher),
      sealedJson(r.attributes, this.cipher), sealedJson(r.data, this.cipher), new Date(r.createdAt), new Date(r.updatedAt),
    ];
  }

  async updateResource(id: string, patch: Partial<ResourceRecord>) {
    await execute(this.db, sql`UPDATE "Resource" SET ${resourceSetList(patch, this.cipher)} WHERE "id" = ${id}`);
  }

  async deleteResource(id: string) {
    return stackTraversalOf(await query<StackTraversalRow>(this.db, sql`DELETE FROM "Resource" WHERE "id" = ${id} RETURNING ${stackTraversalColumn}`));
  }

  async lockResource(
    id: string,
    traversal: string,
    runner?: LockRunner,
    start?: Partial<ResourceRecord>,
  ): Promise<{ resource?: ResourceRecord; heldBy?: string; started?: boolean }> {
    const mine = runner?.id ?? null;
    const lockable = lockableBy(traversal, runner);
    if (start) {
      const [started] = await query<ResourceRow>(
        this.db,
        sql`UPDATE "Resource" SET ${resourceSetList(start, this.cipher, ["lockTraversal"])}, "lockTraversal" = ${traversal}, "lockRunner" = ${mine}
            WHERE "id" = ${id} AND ${notCreatedYet} AND ${lockable} RETURNING *`,
      );
      if (started) return { resource: this.resource(started), started: true };
    }
    for (;;) {
      const [locked] = await query<ResourceRow>(
        this.db,
        sql`UPDATE "Resource" SET "lockTraversal" = ${traversal}, "lockRunner" = ${mine}
            WHERE "id" = ${id} AND ${lockable} RETURNING *`,
      );
      if (locked) return { resource: this.resource(locked) };
      const [row] = await query<{ lockTraversal: string | null }>(
        this.db,
        sql`SELECT "lockTraversal" FROM "Resource" WHERE "id" = ${id}`,
      );
      if (!row) return {};
      if (row.lockTraversal !== null) return { heldBy: row.lockTraversal };
      // The holder let go between the two statements: the compare-and-set can succeed now.
    }
  }

  async createAtOnce(id: string, traversal: string, runner: LockRunner | undefined, created: Partial<ResourceRecord>) {
    const rows = await queryInTurn<StackTraversalRow>(
      this.db,
      sql`UPDATE "Resource" SET ${resourceSetList(created, this.cipher, ["lockTraversal"])}, "lockTraversal" = NULL, "lockRunner" = NULL
          WHERE "id" = ${id} AND ${notCreatedYet} AND ${lockableBy(traversal, runner)}
          RETURNING ${stackTraversalColumn}`,
    );
    return { written: rows.length > 0, stackTraversal: stackTraversalOf(rows) };
  }

  async deleteAtOnce(id: string, traversal: string, runner: LockRunner | undefined) {
    const rows = await queryInTurn<StackTraversalRow>(this.db, sql`DELETE FROM "Resource" WHERE "id" = ${id} AND ${lockableBy(traversal, runner)} RETURNING ${stackTraversalColumn}`);
    return { deleted: rows.length > 0, stackTraversal: stackTraversalOf(rows) };
  }

  async updateHeldResource(id: string, traversal: string, patch: Partial<ResourceRecord>) {
    const changed = await execute(this.db, sql`UPDATE "Resource" SET ${resourceSetList(patch, this.cipher, ["lockTraversal"])} WHERE "id" = ${id} AND "lockTraversal" = ${traversal}`);
    return changed > 0;
  }

  async recordMadeObject(id: string, expected: string | null, physicalId: string) {
    const named = expected === null ? sql`"physicalId" IS NULL` : sql`"physicalId" = ${expected}`;
    const changed = await execute(this.db, sql`UPDATE "Resource" SET ${resourceSetList({ physicalId }, this.cipher)} WHERE "id" = ${id} AND "lockTraversal" IS NULL AND ${named}`);
    return changed > 0;
  }

  async unlockResource(id: string, traversal: string, patch: Partial<ResourceRecord>) {
    const rows = await queryInTurn<StackTraversalRow>(
      this.db,
      sql`UPDATE "Resource" SET ${resourceSetList(patch, this.cipher, ["lockTraversal"])}, "lockTraversal" = NULL, "lockRunner" = NULL
          WHERE "id" = ${id} AND "lockTraversal" = ${traversal}
          RETURNING ${stackTraversalColumn}`,
    );
    return stackTraversalOf(rows);
  }

  /**
   * Idempotent: a point that exists already is kept as it is, so a redelivered traversal start
   * does not reset the progress of arrivals made since.
   */
  async createSyncPoints(points: SyncPointRecord[]) {
    const stored = points.map((p) => [p.traversal, p.node, p.stackId, p.remaining, json(p.successors)]);
    if (this.db.provider === "postgresql") {
      const given = unnested(SYNC_POINT_COLUMNS, stored);
      await execute(
        this.db,
        sql`INSERT INTO "SyncPoint" (${columnList(SYNC_POINT_COLUMNS)}) SELECT "given".* FROM ${given} ON CONFLICT ("traversal", "node") DO NOTHING`,
      );
      return;
    }
    const statements = chunks(stored, insertChunk).map((rows) =>
      runOf(
        sql`INSERT INTO "SyncPoint" (${columnList(SYNC_POINT_COLUMNS)})
            VALUES ${tuples(rows)}
            ON CONFLICT ("traversal", "node") DO NOTHING`,
      ),
    );
    await this.runAll(statements);
  }

  /** One statement on its own, several atomically. */
  private async runAll(statements: Statement[]) {
    if (statements.length === 1) await execute(this.db, statements[0]!.q);
    else await batch(this.db, statements);
  }

  async getSyncPoints(traversal: string) {
    const rows = await query<SyncPointRow>(this.db, sql`SELECT * FROM "SyncPoint" WHERE "traversal" = ${traversal}`);
    return rows.map(syncPointFromRow);
  }

  async getSyncPoint(traversal: string, node: string) {
    const [row] = await query<SyncPointRow>(
      this.db,
      sql`SELECT * FROM "SyncPoint" WHERE "traversal" = ${traversal} AND "node" = ${node}`,
    );
    return row && syncPointFromRow(row);
  }

  /**
   * The arrival row is the idempotency key: only the caller that inserted it decrements, and
   * the decrement is atomic, so exactly one caller sees the count reach zero — with no retry
   * and no read-modify-write of a shared value. The arrivals asked for in one turn of the event
   * loop (every job finishing in it: the nodes of a batch finish together) are stored together,
   * per sync point: on PostgreSQL one statement per point, on SQLite one transaction for all.
   */
  async arrive(traversal: string, node: string, predecessor: string, payload: unknown) {
    return new Promise<boolean>((answer, fail) => {
      this.arriving.push({ traversal, node, predecessor, payload: sealedJson(payload, this.cipher), answer, fail });
      if (this.arriving.length === 1) setImmediate(() => void this.storeArrivals());
    });
  }

  /** Arrivals asked for in this turn of the event loop, not yet stored. */
  private arriving: PendingArrival[] = [];

  private async storeArrivals() {
    const pending = this.arriving.splice(0);
    const byPoint = new Map<string, PendingArrival[]>();
    for (const a of pending) {
      const key = JSON.stringify([a.traversal, a.node]);
      const group = byPoint.get(key);
      if (group) group.push(a);
      else byPoint.set(key, [a]);
    }
    const groups = [...byPoint.values()];
    if (this.db.provider === "postgresql") await this.storeArrivalsPostgres(groups);
    else await this.storeArrivalsSqlite(groups);
  }

  /**
   * Each point's arrivals in a statement of their own, atomic alone: the slices of a point too
   * large for one statement decrement it in turn, and the one reaching 0 completes it. A
   * predecessor asked twice (a job delivered again at once) goes in once, the first one sent
   * winning as it does in a later turn; and in predecessor order, so that statements inserting
   * the same arrivals (here or in another process) wait on their keys in the same order, never
   * on each other.
   */
  private async storeArrivalsPostgres(groups: PendingArrival[][]) {
    const slices = groups.flatMap((group) => chunks(firstOfEach(group), insertChunk));
    await Promise.all(
      slices.map(async (slice) => {
        try {
          const [row] = await query<{ remaining: number; recorded: string[] | null }>(this.db, this.arrivePostgres(slice));
          answerArrivals(slice, row && Number(row.remaining), new Set(row?.recorded ?? []));
        } catch (e) {
          for (const a of slice) a.fail(e);
        }
      }),
    );
    // A repeated arrival was not sent: it is not the one that completes its point.
    const sent = new Set(slices.flat());
    for (const a of groups.flat()) if (!sent.has(a)) a.answer(false);
  }

  /**
   * SQLite has no data-modifying CTEs: two statements per point, in one transaction for all of
   * them: decrement by the number of predecessors not arrived before, then record them. The
   * test is on data, not on changes(). The first statement is a write, so another process waits
   * on busy_timeout.
   */
  private async storeArrivalsSqlite(groups: PendingArrival[][]) {
    const statements = groups.flatMap((group) => {
      const { traversal, node } = group[0]!;
      const point = sql`"traversal" = ${traversal} AND "node" = ${node}`;
      const predecessors = join(group.map((a) => sql`(${a.predecessor})`), ", ");
      return [
        rowsOf(
          sql`UPDATE "SyncPoint" SET "remaining" = "remaining" - (
                SELECT COUNT(DISTINCT "column1") FROM (VALUES ${predecessors}) AS "given"
                WHERE NOT EXISTS (SELECT 1 FROM "SyncArrival" WHERE ${point} AND "predecessor" = "given"."column1"))
              WHERE ${point}
              RETURNING "remaining"`,
        ),
        rowsOf(
          sql`INSERT INTO "SyncArrival" ("traversal", "node", "predecessor", "payload")
              SELECT "SyncPoint"."traversal", "SyncPoint"."node", "given"."column1", "given"."column2"
              FROM "SyncPoint", (VALUES ${join(group.map((a) => sql`(${a.predecessor}, ${a.payload})`), ", ")}) AS "given"
              WHERE "SyncPoint"."traversal" = ${traversal} AND "SyncPoint"."node" = ${node}
              ON CONFLICT DO NOTHING
              RETURNING "predecessor"`,
        ),
      ];
    });
    let answers: unknown[];
    try {
      answers = await batchInTurn(this.db, statements);
    } catch (e) {
      for (const a of groups.flat()) a.fail(e);
      return;
    }
    groups.forEach((group, i) => {
      const [point] = answers[2 * i] as { remaining: number }[];
      answerArrivals(group, point && Number(point.remaining), new Set((answers[2 * i + 1] as { predecessor: string }[]).map((r) => r.predecessor)));
    });
  }

  /**
   * One point's arrivals on PostgreSQL, in one statement: the decrement happens only for the
   * arrivals the CTE inserted (one already recorded is ignored). Concurrent decrements of the
   * point's row queue on its row lock, and each sees the value it wrote.
   */
  private arrivePostgres(arrivals: PendingArrival[]): Sql {
    const { traversal, node } = arrivals[0]!;
    const point = sql`"traversal" = ${traversal} AND "node" = ${node}`;
    const rows = join(arrivals.map((a) => sql`(CAST(${a.predecessor} AS TEXT), CAST(${a.payload} AS TEXT))`), ", ");
    return sql`WITH "arrived" AS (
          INSERT INTO "SyncArrival" ("traversal", "node", "predecessor", "payload")
          SELECT "SyncPoint"."traversal", "SyncPoint"."node", "given"."predecessor", "given"."payload"
          FROM "SyncPoint", (VALUES ${rows}) AS "given" ("predecessor", "payload")
          WHERE "SyncPoint"."traversal" = ${traversal} AND "SyncPoint"."node" = ${node}
          ON CONFLICT DO NOTHING
          RETURNING "predecessor")
        UPDATE "SyncPoint" SET "remaining" = "remaining" - (SELECT COUNT(*) FROM "arrived")
        WHERE ${point} AND EXISTS (SELECT 1 FROM "arrived")
        RETURNING "remaining", (SELECT array_agg("predecessor") FROM "arrived") AS "recorded"`;
  }

  async arrivals(traversal: string, node: string): Promise<Arrival[]> {
    const rows = await query<{ predecessor: string; payload: string }>(
      this.db,
      sql`SELECT "predecessor", "payload" FROM "SyncArrival" WHERE "traversal" = ${traversal} AND "node" = ${node}
          ORDER BY "predecessor"`,
    );
    return rows.map((r) => ({ predecessor: r.predecessor, payload: JSON.parse(this.cipher.open(r.payload)) }));
  }

  async traversalState(traversal: string) {
    const [points, arrived] = await Promise.all([
      this.getSyncPoints(traversal),
      query<{ node: string; predecessor: string }>(this.db, sql`SELECT "node", "predecessor" FROM "SyncArrival" WHERE "traversal" = ${traversal}`),
    ]);
    return { points, arrived };
  }

  async purgeTraversal(traversal: string) {
    await batchInTurn(this.db, [
      runOf(sql`DELETE FROM "SyncArrival" WHERE "traversal" = ${traversal}`),
      runOf(sql`DELETE FROM "SyncPoint" WHERE "traversal" = ${traversal}`),
    ]);
  }

  async sweepTraversals(stackId: string, keep: string) {
    const current = sql`COALESCE((SELECT "currentTraversal" FROM "Stack" WHERE "id" = ${stackId}), '')`;
    const ended = sql`"SyncPoint"."stackId" = ${stackId} AND "SyncPoint"."traversal" <> ${keep} AND "SyncPoint"."traversal" <> ${current}`;
    await batchInTurn(this.db, [
      // SQLite runs one statement at a time; PostgreSQL's deletes, each reading the current
      // traversal afresh, wait here for a write making another one current to commit.
      ...(this.db.provider === "postgresql" ? [rowsOf(sql`SELECT 1 FROM "Stack" WHERE "id" = ${stackId} FOR UPDATE`)] : []),
      runOf(sql`DELETE FROM "SyncArrival" WHERE ("traversal", "node") IN (SELECT "SyncPoint"."traversal", "SyncPoint"."node" FROM "SyncPoint" WHERE ${ended})`),
      runOf(sql`DELETE FROM "SyncPoint" WHERE ${ended}`),
    ]);
  }

  async purgeTraversals(stackId: string) {
    await batchInTurn(this.db, [
      // By the arrivals' key, from the stack's points: a correlated EXISTS read every arrival of
      // every stack, so a tree's purges grew with the square of its stacks.
      runOf(
        sql`DELETE FROM "SyncArrival" WHERE ("traversal", "node") IN (
              SELECT "SyncPoint"."traversal", "SyncPoint"."node" FROM "SyncPoint" WHERE "SyncPoint"."stackId" = ${stackId})`,
      ),
      runOf(sql`DELETE FROM "SyncPoint" WHERE "SyncPoint"."stackId" = ${stackId}`),
    ]);
  }
}

/** Of the callers whose arrival was `recorded` at a point now at `remaining`, exactly one hears that it completed the point. */
function answerArrivals(arrivals: PendingArrival[], remaining: number | undefined, recorded: Set<string>) {
  const completer = remaining === 0 ? arrivals.find((a) => recorded.has(a.predecessor)) : undefined;
  for (const a of arrivals) a.answer(a === completer);
}

/** The first arrival of each predecessor, in predecessor order. */
function firstOfEach(arrivals: PendingArrival[]): PendingArrival[] {
  const first = new Map<string, PendingArrival>();
  for (const a of arrivals) if (!first.has(a.predecessor)) first.set(a.predecessor, a);
  return [...first.values()].sort((a, b) => (a.predecessor < b.predecessor ? -1 : a.predecessor > b.predecessor ? 1 : 0));
}

/** Whether a job of `traversal` may take the row's lock: it is free, or the traversal's and (within the traversal) the runner's unless it has none (anyone's) or this one takes over. */
function lockableBy(traversal: string, runner?: LockRunner): Sql {
  const sameRunner = !runner || runner.takeover ? sql`TRUE` : sql`("lockRunner" IS NULL OR "lockRunner" = ${runner.id})`;
  return sql`("lockTraversal" IS NULL OR ("lockTraversal" = ${traversal} AND ${sameRunner}))`;
}

/** A resource whose create has not begun: the only rows a create may start on (StateStore.lockResource's `start`, createAtOnce). */
const notCreatedYet = sql`"action" = 'INIT' AND "replacedBy" IS NULL`;

/**
 * The written resource's stack's current traversal, answered by the write
 * (StackTraversalAfterWrite): '' when the stack runs none (a traversal id is never empty), NULL
 * when the stack is gone.
 */
const stackTraversalColumn = sql`(SELECT COALESCE("currentTraversal", '') FROM "Stack" WHERE "Stack"."id" = "Resource"."stackId") AS "stackTraversal"`;
type StackTraversalRow = { stackTraversal: string | null };
const stackTraversalOf = ([row]: StackTraversalRow[]): StackTraversalAfterWrite =>
  row?.stackTraversal === undefined || row.stackTraversal === null ? undefined : row.stackTraversal || null;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A unique-constraint violation, as either driver adapter reports it through Prisma. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string; meta?: { code?: string; driverAdapterError?: { cause?: { kind?: string } } } };
  return (
    err?.code === "P2002" ||
    err?.code === "23505" ||
    err?.meta?.code === "23505" ||
    err?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation" ||
    /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(err?.message ?? "")
  );
}
