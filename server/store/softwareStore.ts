/**
 * The engine's SoftwareStore over Kiln's database (SQLite or PostgreSQL): Heat's
 * software_config and software_deployment tables and the per-server metadata stamp, one raw
 * statement per call. Config content and input/output values may hold secrets: encrypted. Semantics follow the in-memory reference (server/engine/testing/memoryStore.ts);
 * the contract test runs the same suite on all three.
 */
import type { ResourceRecord, ServerMetadataStamp, SoftwareConfigRecord, SoftwareDeploymentRecord, SoftwareStore, Status } from "../engine/ports";
import { SOFTWARE_SERVER_TYPES } from "../engine/resources/software/softwareServers";
import type { ColumnCipher } from "./columnCipher";
import type { Database } from "./database";
import {
  deploymentSetList,
  resourceFromRow,
  sealedJson,
  softwareConfigFromRow,
  softwareDeploymentFromRow,
  type ResourceRow,
  type SoftwareConfigRow,
  type SoftwareDeploymentRow,
} from "./records";
import { execute, join, query, sql } from "./sql";

interface StampRow {
  serverId: string;
  modifiedAt: number | string;
  version: number | string | bigint;
}

const stampFromRow = (r: StampRow): ServerMetadataStamp => ({ serverId: r.serverId, modifiedAt: Number(r.modifiedAt), version: Number(r.version) });

export class PrismaSoftwareStore implements SoftwareStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
  ) {}

  async createConfig(c: SoftwareConfigRecord) {
    await execute(
      this.db,
      sql`INSERT INTO "SoftwareConfig" ("id", "projectId", "name", "group", "config", "createdAt")
          VALUES (${c.id}, ${c.projectId}, ${c.name}, ${c.group}, ${sealedJson(c.config, this.cipher)}, ${new Date(c.createdAt)})
          ON CONFLICT ("id") DO NOTHING`,
    );
  }

  async getConfig(id: string) {
    const [row] = await query<SoftwareConfigRow>(this.db, sql`SELECT * FROM "SoftwareConfig" WHERE "id" = ${id}`);
    return row && softwareConfigFromRow(row, this.cipher);
  }

  async deleteConfig(id: string) {
    await execute(this.db, sql`DELETE FROM "SoftwareConfig" WHERE "id" = ${id}`);
  }

  async putDeployment(d: SoftwareDeploymentRecord) {
    await execute(
      this.db,
      sql`INSERT INTO "SoftwareDeployment" ("id", "projectId", "serverId", "configId", "inputValues", "outputValues",
            "action", "status", "statusReason", "stackId", "resourceId", "resourceName", "resourceType", "signalToken",
            "createdAt", "updatedAt")
          VALUES (${d.id}, ${d.projectId}, ${d.serverId}, ${d.configId}, ${sealedJson(d.inputValues, this.cipher)}, ${sealedJson(d.outputValues, this.cipher)},
            ${d.action}, ${d.status}, ${d.statusReason}, ${d.stackId}, ${d.resourceId}, ${d.resourceName}, ${d.resourceType},
            ${d.signalToken}, ${new Date(d.createdAt)}, ${new Date(d.updatedAt)})
          ON CONFLICT ("id") DO UPDATE SET "serverId" = excluded."serverId", "configId" = excluded."configId",
            "inputValues" = excluded."inputValues", "outputValues" = excluded."outputValues", "action" = excluded."action",
            "status" = excluded."status", "statusReason" = excluded."statusReason", "updatedAt" = excluded."updatedAt"`,
    );
  }

  async getDeployment(id: string) {
    const [row] = await query<SoftwareDeploymentRow>(this.db, sql`SELECT * FROM "SoftwareDeployment" WHERE "id" = ${id}`);
    return row && softwareDeploymentFromRow(row, this.cipher);
  }

  async updateDeployment(id: string, patch: Partial<SoftwareDeploymentRecord>, ifStatus?: Status) {
    const guard = ifStatus === undefined ? sql`` : sql` AND "status" = ${ifStatus}`;
    return (await execute(this.db, sql`UPDATE "SoftwareDeployment" SET ${deploymentSetList(patch, this.cipher)} WHERE "id" = ${id}${guard}`)) > 0;
  }

  async deleteDeployment(id: string) {
    await execute(this.db, sql`DELETE FROM "SoftwareDeployment" WHERE "id" = ${id}`);
  }

  async serverDeployments(serverId: string) {
    const rows = await query<SoftwareDeploymentRow>(
      this.db,
      sql`SELECT * FROM "SoftwareDeployment" WHERE "serverId" = ${serverId} ORDER BY "createdAt", "id"`,
    );
    return rows.map((r) => softwareDeploymentFromRow(r, this.cipher));
  }

  async touchServer(serverId: string, projectId: string, now: number) {
    const second = Math.floor(now / 1000) * 1000;
    // One statement, so two changes at once still get two distinct seconds.
    const [row] = await query<StampRow>(
      this.db,
      sql`INSERT INTO "ServerMetadata" ("serverId", "projectId", "modifiedAt", "version") VALUES (${serverId}, ${projectId}, ${second}, 1)
          ON CONFLICT ("serverId") DO UPDATE SET
            "modifiedAt" = CASE WHEN excluded."modifiedAt" > "ServerMetadata"."modifiedAt" THEN excluded."modifiedAt"
                           ELSE "ServerMetadata"."modifiedAt" + 1000 END,
            "version" = "ServerMetadata"."version" + 1
          RETURNING "serverId", "modifiedAt", "version"`,
    );
    return stampFromRow(row!);
  }

  async serverStamp(serverId: string) {
    const [row] = await query<StampRow>(this.db, sql`SELECT "serverId", "modifiedAt", "version" FROM "ServerMetadata" WHERE "serverId" = ${serverId}`);
    return row && stampFromRow(row);
  }

  // Reads for people (the UI and `kiln software …`), not the engine: not in the port.

  /** A project's configs, Heat's order (newest first); `marker`: only those after that config. */
  async projectConfigs(projectId: string, limit: number, marker?: string) {
    const after = marker ? (await query<SoftwareConfigRow>(this.db, sql`SELECT * FROM "SoftwareConfig" WHERE "id" = ${marker} AND "projectId" = ${projectId}`))[0] : undefined;
    if (marker && !after) return undefined;
    const page = after
      ? sql` AND ("createdAt" < ${after.createdAt} OR ("createdAt" = ${after.createdAt} AND "id" < ${after.id}))`
      : sql``;
    const rows = await query<SoftwareConfigRow>(
      this.db,
      sql`SELECT * FROM "SoftwareConfig" WHERE "projectId" = ${projectId}${page} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`,
    );
    return rows.map((r) => softwareConfigFromRow(r, this.cipher));
  }

  /** A project's deployments (of one server, if given), oldest first as Heat lists them. */
  async projectDeployments(projectId: string, serverId?: string) {
    const server = serverId === undefined ? sql`` : sql` AND "serverId" = ${serverId}`;
    const rows = await query<SoftwareDeploymentRow>(
      this.db,
      sql`SELECT * FROM "SoftwareDeployment" WHERE "projectId" = ${projectId}${server} ORDER BY "createdAt", "id"`,
    );
    return rows.map((r) => softwareDeploymentFromRow(r, this.cipher));
  }

  /** The deployment a derived config was made for, if any. */
  async deploymentOfConfig(configId: string) {
    const [row] = await query<SoftwareDeploymentRow>(this.db, sql`SELECT * FROM "SoftwareDeployment" WHERE "configId" = ${configId}`);
    return row && softwareDeploymentFromRow(row, this.cipher);
  }

  /** The current resource whose physical id this is (a SoftwareConfig's config id). */
  async resourceByPhysicalId(physicalId: string): Promise<ResourceRecord | undefined> {
    const [row] = await query<ResourceRow>(this.db, sql`SELECT * FROM "Resource" WHERE "physicalId" = ${physicalId} AND "replacedBy" IS NULL`);
    return row && resourceFromRow(row, this.cipher);
  }

  async serverResource(serverId: string): Promise<ResourceRecord | undefined> {
    const [row] = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE ("physicalId" = ${serverId} OR "id" = ${serverId}) AND "type" IN (${join(SOFTWARE_SERVER_TYPES.map((t) => sql`${t}`), ", ")}) AND "replacedBy" IS NULL`,
    );
    return row && resourceFromRow(row, this.cipher);
  }
}
