/**
 * OS::Heat::DeployedServer: a machine that exists already and runs an agent. Its physical id
 * is a new uuid (the server id deployments name) and it holds a 256-bit credential with which
 * the server's agent reads its metadata and signals its deployments; the credential goes with
 * the row when the resource is deleted.
 */
import { randomBytes } from "node:crypto";
import { deployedServer } from "../deployedServer";
import { done, type ResourceContext, type ResourcePlugin } from "../plugin";
import { stableUuid } from "../software/stableId";

export const serverMetadataPath = (serverId: string, credential: string) => `/api/servers/${serverId}/metadata/${credential}`;

/**
 * What os-collect-config is configured with, in the shape Heat builds for each transport
 * (server_base.py's _populate_deployments_metadata, read for behaviour). POLL_TEMP_URL points
 * at Kiln's metadata URL; the others carry Kiln's values where Heat's would name a cloud
 * service: the server id as user and key id, the credential as password and secret.
 */
export function osCollectConfig(ctx: ResourceContext, serverId: string, credential: string): Record<string, unknown> {
  const transport = String(ctx.properties.software_config_transport ?? "POLL_SERVER_CFN");
  const stackPath = `${encodeURIComponent(ctx.stackName)}/${encodeURIComponent(ctx.stackId)}`;
  switch (transport) {
    case "POLL_SERVER_HEAT":
      return {
        collectors: ["heat", "local"],
        heat: { user_id: serverId, password: credential, auth_url: ctx.publicUrl, project_id: ctx.projectId, stack_id: stackPath, resource_name: ctx.resourceName, region_name: null },
      };
    case "ZAQAR_MESSAGE":
      return {
        collectors: ["zaqar", "local"],
        zaqar: { user_id: serverId, password: credential, auth_url: ctx.publicUrl, project_id: ctx.projectId, queue_id: ctx.physicalName(), region_name: null },
      };
    case "POLL_TEMP_URL":
      return { collectors: ["request", "local"], request: { metadata_url: `${ctx.publicUrl}${serverMetadataPath(serverId, credential)}` } };
    default:
      return {
        collectors: ["cfn", "local"],
        cfn: { metadata_url: `${ctx.publicUrl}/v1/`, access_key_id: serverId, secret_access_key: credential, stack_name: ctx.stackName, path: `${ctx.resourceName}.Metadata` },
      };
  }
}

async function converge(ctx: ResourceContext) {
  const serverId = (ctx.data.serverId as string | undefined) ?? ctx.physicalId ?? stableUuid(`deployed-server:${ctx.resourceId}`);
  const credential = (ctx.data.credential as string | undefined) ?? randomBytes(32).toString("base64url");
  // Stamped from the start: a deployment added within the second an agent first read the
  // (empty) metadata must still move Last-Modified past what that agent saw.
  if (!(await ctx.software.store.serverStamp(serverId))) await ctx.software.store.touchServer(serverId, ctx.projectId, ctx.now);
  return done({
    physicalId: serverId,
    attributes: { name: (ctx.properties.name as string | undefined) || ctx.physicalName(), os_collect_config: osCollectConfig(ctx, serverId, credential) },
    data: { serverId, credential },
  });
}

export const deployedServerPlugin: ResourcePlugin = {
  ...deployedServer,
  create: converge,
  // Name, transport and swift data change in place: the credential and server id stay.
  update: converge,
  async delete(ctx) {
    // The row is DELETE_IN_PROGRESS now, which the agent gateway refuses: telling it drops the agent.
    if (ctx.physicalId) await ctx.software.changed(ctx.physicalId, ctx.projectId);
    return done();
  },
};
