/**
 * Heat's software config and deployment routes: list and show, and a server's metadata (the
 * deployments' configs as its agent gets them). A config may be made and deleted here, outside
 * any stack, as in Heat (a config a deployment uses may not be deleted). Kiln makes deployments
 * only through a stack's resources (OS::Heat::SoftwareDeployment and the like), so creating,
 * changing or deleting one here is answered with Heat's NotSupported.
 */
import { randomUUID } from "node:crypto";
import { configBody } from "../../engine/resources/software/derivedConfig";
import { listConfigs, listDeployments, showConfig, showDeployment, type DeploymentView } from "../../services/softwareViews";
import { HeatError } from "./heatErrors";
import { intParam, ok, refusedAsUnsupported, type HeatAnswer, type HeatContext } from "./heatRequest";
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

/** Heat's declared inputs or outputs: a list of objects, each with a name. */
function ioList(body: Record<string, unknown>, key: "inputs" | "outputs"): Record<string, unknown>[] {
  const v = body[key] ?? [];
  const ok = Array.isArray(v) && v.every((i) => i !== null && typeof i === "object" && !Array.isArray(i) && typeof (i as { name?: unknown }).name === "string" && (i as { name: string }).name);
  if (!ok) throw new HeatError(400, "InvalidSchemaError", `${key} must be a list of objects, each with a name`);
  return v as Record<string, unknown>[];
}

/** A config made outside any stack (as `openstack software config create` makes one); stored as a stack's SoftwareConfig stores its own. */
export async function createConfigRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const { name = "", group = "Heat::Ungrouped", options = null } = ctx.body;
  if (typeof name !== "string" || name.length > 255) throw new HeatError(400, "InvalidParameter", "name must be a string of at most 255 characters");
  if (typeof group !== "string" || !group || group.length > 255) throw new HeatError(400, "InvalidParameter", "group must be a non-empty string of at most 255 characters");
  if (options !== null && (typeof options !== "object" || Array.isArray(options))) throw new HeatError(400, "InvalidParameter", "options must be an object");
  const config = configBody({ inputs: ioList(ctx.body, "inputs"), outputs: ioList(ctx.body, "outputs"), options }, ctx.body.config ?? null);
  const id = randomUUID();
  await ctx.rt.software.createConfig({ id, projectId: ctx.project.id, name, group, config, createdAt: new Date().toISOString() });
  const c = await showConfig(ctx.rt, ctx.project.id, id, viewer(ctx));
  return ok({ software_config: { ...c, creation_time: heatTime(c.creation_time) } });
}

/** Deletes a config of the project; one a deployment uses is refused (409), as Heat refuses it. */
export async function deleteConfigRoute(ctx: HeatContext): Promise<HeatAnswer> {
  const c = await showConfig(ctx.rt, ctx.project.id, ctx.params.config_id!, viewer(ctx));
  if (await ctx.rt.software.deploymentOfConfig(c.id)) {
    throw new HeatError(409, "InvalidRestrictedAction", `Software config with id ${c.id} can not be deleted as it is referenced by a deployment`);
  }
  await ctx.rt.software.deleteConfig(c.id);
  return { status: 204 };
}

/** Creating, changing or deleting a deployment outside a stack: refused, changing nothing. */
export const notSupported = (what: string) =>
  refusedAsUnsupported(
    `Kiln does not ${what} through this API: software deployments are made, changed and deleted by a stack's resources (OS::Heat::SoftwareDeployment, OS::Heat::StructuredDeployment and the like)`,
  );
