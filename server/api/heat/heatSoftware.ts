/**
 * Heat's software config and deployment routes: list and show, and a server's metadata (the
 * deployments' configs as its agent gets them). Kiln makes configs and deployments only
 * through a stack's resources (OS::Heat::SoftwareConfig, SoftwareDeployment and the rest), so
 * creating, changing or deleting them here is answered with Heat's NotSupported.
 */
import { listConfigs, listDeployments, showConfig, showDeployment, type DeploymentView } from "../../services/softwareViews";
import { HeatError } from "./heatErrors";
import { intParam, ok, type HeatAnswer, type HeatContext } from "./heatRequest";
import { viewer } from "./heatStackRef";
import { heatTime } from "./heatViews";

/** Heat's software_deployment: times to the second, and no updated_time until it has one. */
function deploymentBody(d: DeploymentView) {
  const { updated_time, ...rest } = d;
  return { ...rest, creation_time: heatTime(d.creation_time), ...(updated_time ? { updated_time: heatTime(updated_time) } : {}) };
}

export async function listConfigsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const limit = intParam(ctx.query, "limit", 1, 1000) ?? 1000;
  const marker = ctx.query.get("marker") || undefined;
  const configs = await listConfigs(ctx.rt, ctx.project.id, { limit, marker }, viewer(ctx));
  // Heat's list leaves out the content: id, name, group and creation time.
  return ok({ software_configs: configs.map((c) => ({ id: c.id, name: c.name, group: c.group, creation_time: heatTime(c.creation_time) })) });
}

export async function showConfigRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const c = await showConfig(ctx.rt, ctx.project.id, ctx.params.config_id!, viewer(ctx));
  return ok({ software_config: { ...c, creation_time: heatTime(c.creation_time) } });
}

export async function listDeploymentsRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const serverId = ctx.query.get("server_id") || undefined;
  const deployments = await listDeployments(ctx.rt, ctx.project.id, serverId, viewer(ctx));
  return ok({ software_deployments: deployments.map(deploymentBody) });
}

export async function showDeploymentRoute(ctx: HeatContext): Promise<HeatAnswer> {
  return ok({ software_deployment: deploymentBody(await showDeployment(ctx.rt, ctx.project.id, ctx.params.deployment_id!, viewer(ctx))) });
}

/**
 * The server's metadata as Heat answers it: the config of each of the project's deployments of
 * that server, sorted by config name, in full (hence members only). A server with none: [].
 */
export async function serverMetadataRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const who = viewer(ctx);
  const deployments = await ctx.rt.software.projectDeployments(ctx.project.id, ctx.params.server_id!);
  const configs = [];
  for (const d of deployments) {
    const c = await showConfig(ctx.rt, ctx.project.id, d.configId, who).catch(() => undefined);
    if (c) configs.push({ ...c, creation_time: heatTime(c.creation_time) });
  }
  configs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ok({ metadata: configs });
}

/** Creating, changing or deleting a config or deployment outside a stack: refused, changing nothing. */
export const notSupported = (what: string) => async (): Promise<HeatAnswer> => {
  throw new HeatError(
    400,
    "NotSupported",
    `Kiln does not ${what} through this API: software configs and deployments are made, changed and deleted by a stack's resources (OS::Heat::SoftwareConfig, OS::Heat::SoftwareDeployment and the like)`,
  );
};
