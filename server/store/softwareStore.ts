/**
 * The engine's SoftwareStore over Kiln's database (SQLite or PostgreSQL): Heat's
 * software_config and software_deployment tables and the per-server metadata stamp, one raw
 * statement per call. Semantics follow the in-memory reference (server/engine/testing/memoryStore.ts);
 * the contract test runs the same suite on all three.
 */
import type { ResourceRecord, ServerMetadataStamp, SoftwareConfigRecord, SoftwareDeploymentRecord, SoftwareStore, Status } from "../engine/ports";
import type { Database } from "./database";
import {
  deploymentSetList,
  json,
  resourceFromRow,
  softwareConfigFromRow,
  softwareDeploymentFromRow,
  type ResourceRow,
  type SoftwareConfigRow,
  type SoftwareDeploymentRow,
} from "./records";
import { execute, query, sql } from "./sql";

interface StampRow {
  serverId: string;
  modifiedAt: number | string;
  version: number | string | bigint;
}

const stampFromRow = (r: StampRow): ServerMetadataStamp => ({ serverId: r.serverId, modifiedAt: Number(r.modifiedAt), version: Number(r.version) });

export class PrismaSoftwareStore implements SoftwareStore {
  constructor(private readonly db: Database) {}

  async createConfig(c: SoftwareConfigRecord) {
    await execute(
      this.db,
      sql`INSERT INTO "SoftwareConfig" ("id", "projectId", "name", "group", "config", "createdAt")
          VALUES (${c.id}, ${c.projectId}, ${c.name}, ${c.group}, ${json(c.config)}, ${new Date(c.createdAt)})
          ON CONFLICT ("id") DO NOTHING`,
    );
  }

  async getConfig(id: string) {
    const [row] = await query<SoftwareConfigRow>(this.db, sql`SELECT * FROM "SoftwareConfig" WHERE "id" = ${id}`);
    return row && softwareConfigFromRow(row);
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
          VALUES (${d.id}, ${d.projectId}, ${d.serverId}, ${d.configId}, ${json(d.inputValues)}, ${json(d.outputValues)},
            ${d.action}, ${d.status}, ${d.statusReason}, ${d.stackId}, ${d.resourceId}, ${d.resourceName}, ${d.resourceType},
            ${d.signalToken}, ${new Date(d.createdAt)}, ${new Date(d.updatedAt)})
          ON CONFLICT ("id") DO UPDATE SET "serverId" = excluded."serverId", "configId" = excluded."configId",
            "inputValues" = excluded."inputValues", "outputValues" = excluded."outputValues", "action" = excluded."action",
            "status" = excluded."status", "statusReason" = excluded."statusReason", "updatedAt" = excluded."updatedAt"`,
    );
  }

  async getDeployment(id: string) {
    const [row] = await query<SoftwareDeploymentRow>(this.db, sql`SELECT * FROM "SoftwareDeployment" WHERE "id" = ${id}`);
    return row && softwareDeploymentFromRow(row);
  }

  async updateDeployment(id: string, patch: Partial<SoftwareDeploymentRecord>, ifStatus?: Status) {
    const guard = ifStatus === undefined ? sql`` : sql` AND "status" = ${ifStatus}`;
    return (await execute(this.db, sql`UPDATE "SoftwareDeployment" SET ${deploymentSetList(patch)} WHERE "id" = ${id}${guard}`)) > 0;
  }

  async deleteDeployment(id: string) {
    await execute(this.db, sql`DELETE FROM "SoftwareDeployment" WHERE "id" = ${id}`);
  }

  async serverDeployments(serverId: string) {
    const rows = await query<SoftwareDeploymentRow>(
      this.db,
      sql`SELECT * FROM "SoftwareDeployment" WHERE "serverId" = ${serverId} ORDER BY "createdAt", "id"`,
    );
    return rows.map(softwareDeploymentFromRow);
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

  async serverResource(serverId: string, type: string): Promise<ResourceRecord | undefined> {
    const [row] = await query<ResourceRow>(
      this.db,
      sql`SELECT * FROM "Resource" WHERE "physicalId" = ${serverId} AND "type" = ${type} AND "replacedBy" IS NULL`,
    );
    return row && resourceFromRow(row);
  }
}
