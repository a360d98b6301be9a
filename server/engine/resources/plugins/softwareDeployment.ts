/**
 * OS::Heat::SoftwareDeployment and StructuredDeployment: for each listed action, a config is
 * derived from the source config (a new id each time) and the deployment row points the
 * server at it; the resource then waits until the server reports (a signal wakes it; nothing
 * polls) and takes the reported outputs as its attributes. Behaviour follows Heat's
 * SoftwareDeployment: an action not listed completes at once, NO_SIGNAL completes without
 * waiting, a changed server or signal_transport replaces, any other change re-deploys.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { softwareDeployment, structuredDeployment } from "../softwareDeployment";
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from "../../ports";
import { done, refusedInPlace, ResourceFailure, sameValue, wait, type ActionName, type Outcome, type ResourceContext, type ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { derivedInputs, substituteInputs, type SignalTransport } from "../software/derivedConfig";
import { STANDARD_OUTPUTS } from "../software/deploymentSignal";
import { stableUuid } from "../software/stableId";

export const deploymentSignalPath = (deploymentId: string, token: string) => `/api/deployments/${deploymentId}/signal/${token}`;


/**
 * How long a deployment waits before looking again when nothing signals it. Not a timeout
 * (the stack's timeout is, as in Heat): a waiting resource with a wake-up queued is one the
 * reconciler knows is waiting, not stalled. The signal wakes it long before.
 */
const LOOK_AGAIN_MS = 24 * 60 * 60 * 1000;

const EMPTY_SOURCE: SoftwareConfigRecord["config"] = { config: null, inputs: [], outputs: [], options: null };

/** The attributes a deployment shows: the three deploy_* values (null until reported) and every output reported. */
export function deploymentAttributes(d: SoftwareDeploymentRecord | undefined): Record<string, unknown> {
  const values = d?.outputValues ?? {};
  return { ...Object.fromEntries(STANDARD_OUTPUTS.map((k) => [k, null])), ...values };
}

/** Heat's reason, and the tail of what the script wrote to stderr when it exited non-zero (where the cause usually is). */
function failureOf(d: SoftwareDeploymentRecord): ResourceFailure {
  const stderr = typeof d.outputValues.deploy_stderr === "string" ? d.outputValues.deploy_stderr.trim() : "";
  const tail = stderr.length > 1000 ? `…${stderr.slice(-1000)}` : stderr;
  const withStderr = tail && d.statusReason.includes("deploy_status_code") ? ` (deploy_stderr: ${tail})` : "";
  return new ResourceFailure(`Deployment to server failed: ${d.statusReason}${withStderr}`, "Error", {
    physicalId: d.id,
    attributes: deploymentAttributes(d),
  });
}

interface Flavour {
  schema: ResourceTypeSchema;
  structured: boolean;
}

async function sourceConfig(ctx: ResourceContext): Promise<SoftwareConfigRecord | undefined> {
  const id = ctx.properties.config as string | undefined;
  if (!id) return undefined;
  const config = await ctx.software.config(id);
  if (!config) throw new ResourceFailure(`Software config ${id} not found`, "NotFound");
  return config;
}

/**
 * Runs `action` on the server: a new derived config, the deployment row pointing at it (the
 * previous derived config deleted), the server's agent told. Answers the row, or undefined
 * when the action is not one the deployment runs.
 */
async function deploy(ctx: ResourceContext, flavour: Flavour, action: ActionName): Promise<SoftwareDeploymentRecord | undefined> {
  const actions = (ctx.properties.actions as string[] | undefined) ?? ["CREATE", "UPDATE"];
  if (!actions.includes(action)) return undefined;
  const store = ctx.software.store;
  const id = ctx.physicalId ?? stableUuid(`software-deployment:${ctx.resourceId}`);
  const existing = await store.getDeployment(id);
  const token = existing?.signalToken ?? randomBytes(32).toString("base64url");
  const transport = String(ctx.properties.signal_transport ?? "CFN_SIGNAL") as SignalTransport;
  const serverId = String(ctx.properties.server);
  const inputValues = (ctx.properties.input_values as Record<string, unknown> | undefined) ?? {};
  const source = await sourceConfig(ctx);
  const body = source?.config ?? EMPTY_SOURCE;
  const inputs = derivedInputs(body, {
    action,
    serverId,
    stackName: ctx.stackName,
    stackId: ctx.stackId,
    resourceName: ctx.resourceName,
    transport,
    signalUrl: `${ctx.publicUrl}${deploymentSignalPath(id, token)}`,
    inputValues,
  });
  const config = flavour.structured
    ? substituteInputs(body.config ?? {}, Object.fromEntries(inputs.map((i) => [String(i.name), i.value])), String(ctx.properties.input_key ?? "get_input"), ctx.properties.input_values_validate === "STRICT")
    : body.config;
  const derived: SoftwareConfigRecord["config"] = {
    config: isEmpty(config) ? (flavour.structured ? {} : "") : config,
    inputs,
    outputs: body.outputs,
    options: body.options,
  };
  const noSignal = transport === "NO_SIGNAL";
  const status = noSignal ? "COMPLETE" : "IN_PROGRESS";
  // The same action delivered again after a crash finds its config in place: the server must not run it twice.
  if (existing && existing.action === action && existing.status === status) {
    const current = await store.getConfig(existing.configId);
    if (current && sameValue(current.config, derived) && existing.serverId === serverId) return existing;
  }
  const now = new Date(ctx.now).toISOString();
  const configId = randomUUID();
  await store.createConfig({
    id: configId,
    projectId: ctx.projectId,
    name: String((ctx.properties.name as string | undefined) || source?.name || ctx.physicalName()),
    group: source?.group || "Heat::Ungrouped",
    config: derived,
    createdAt: now,
  });
  const record: SoftwareDeploymentRecord = {
    id,
    projectId: ctx.projectId,
    serverId,
    configId,
    inputValues,
    outputValues: existing?.outputValues ?? {},
    action,
    status,
    statusReason: noSignal ? "Not waiting for outputs signal" : "Deploy data available",
    stackId: ctx.stackId,
    resourceId: ctx.resourceId,
    resourceName: ctx.resourceName,
    resourceType: flavour.schema.type,
    signalToken: token,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await store.putDeployment(record);
  if (existing && existing.configId !== configId) await store.deleteConfig(existing.configId);
  await ctx.software.changed(serverId, ctx.projectId);
  return record;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);

/** The inputs marked replace_on_change, as deployed: what a later change of them is compared with. */
type ReplaceOnChange = Record<string, { value: unknown; default: unknown }>;

async function replaceOnChangeOf(ctx: ResourceContext, d: SoftwareDeploymentRecord): Promise<ReplaceOnChange> {
  const inputs = (await ctx.software.store.getConfig(d.configId))?.config.inputs ?? [];
  return Object.fromEntries(inputs.filter((i) => i.replace_on_change).map((i) => [String(i.name), { value: i.value ?? null, default: i.default ?? null }]));
}

/**
 * Heat replaces a deployment whose input marked replace_on_change changes value, rather than
 * re-deploying it; the flags are those of the config last deployed. Otherwise: replaced when a
 * property that cannot change in place changed (server, signal_transport, …).
 */
function needsReplacement(plugin: ResourcePlugin) {
  return (oldProps: Record<string, unknown>, newProps: Record<string, unknown>, data: Record<string, unknown>) => {
    if (refusedInPlace(plugin, oldProps, newProps)) return true;
    const values = (newProps.input_values as Record<string, unknown> | undefined) ?? {};
    return Object.entries((data.replaceOnChange as ReplaceOnChange | undefined) ?? {}).some(
      ([name, was]) => !sameValue(name in values ? values[name] : was.default, was.value),
    );
  };
}

/** After deploying: done at once when nothing waits for the server, else wait for its signal (the immediate wake-up catches one that came first). */
async function afterDeploy(ctx: ResourceContext, d: SoftwareDeploymentRecord | undefined): Promise<Outcome> {
  if (!d) return done({ physicalId: ctx.physicalId, attributes: deploymentAttributes(undefined) });
  const data = { ...ctx.data, replaceOnChange: await replaceOnChangeOf(ctx, d) };
  if (d.status === "COMPLETE") return done({ physicalId: d.id, attributes: deploymentAttributes(d), data });
  return wait({ wakeAfterMs: 0, physicalId: d.id, data });
}

/** Removes the deployment and its derived config; the server's agent is told. */
async function forget(ctx: ResourceContext, d: SoftwareDeploymentRecord): Promise<Outcome> {
  await ctx.software.store.deleteDeployment(d.id);
  await ctx.software.store.deleteConfig(d.configId);
  await ctx.software.changed(d.serverId, ctx.projectId);
  return done();
}

function deploymentPlugin(flavour: Flavour): ResourcePlugin {
  const plugin: ResourcePlugin = {
    ...flavour.schema,
    async create(ctx) {
      return afterDeploy(ctx, await deploy(ctx, flavour, "CREATE"));
    },
    async update(ctx) {
      const d = await deploy(ctx, flavour, "UPDATE");
      if (d) return afterDeploy(ctx, d);
      // Not re-deployed: what the server reported last still stands.
      const last = ctx.physicalId ? await ctx.software.store.getDeployment(ctx.physicalId) : undefined;
      return done({ attributes: deploymentAttributes(last) });
    },
    async delete(ctx) {
      const d = ctx.physicalId ? await ctx.software.store.getDeployment(ctx.physicalId) : undefined;
      if (!d) return done();
      // A DELETE action runs only on a server that is still there.
      if (!(await ctx.software.store.serverResource(d.serverId))) return forget(ctx, d);
      const deleting = await deploy(ctx, flavour, "DELETE");
      if (!deleting || deleting.status === "COMPLETE") return forget(ctx, deleting ?? d);
      return wait({ wakeAfterMs: 0 });
    },
    async resume(ctx) {
      const d = ctx.physicalId ? await ctx.software.store.getDeployment(ctx.physicalId) : undefined;
      if (ctx.action === "DELETE") {
        if (!d) return done();
        if (d.status === "IN_PROGRESS" && (await ctx.software.store.serverResource(d.serverId))) return wait({ wakeAfterMs: LOOK_AGAIN_MS });
        if (d.status === "FAILED") throw failureOf(d);
        return forget(ctx, d);
      }
      if (!d) throw new ResourceFailure("The deployment is missing");
      if (d.status === "IN_PROGRESS") return wait({ wakeAfterMs: LOOK_AGAIN_MS });
      if (d.status === "FAILED") throw failureOf(d);
      return done({ physicalId: d.id, attributes: deploymentAttributes(d) });
    },
  };
  plugin.needsReplacement = needsReplacement(plugin);
  // As Heat's cancel: the deployment fails, so a report that comes later changes nothing.
  plugin.abandon = async (ctx) => {
    if (ctx.physicalId) await ctx.software.store.updateDeployment(ctx.physicalId, { status: "FAILED", statusReason: "Deployment cancelled." }, "IN_PROGRESS");
  };
  return plugin;
}

export const softwareDeploymentPlugin = deploymentPlugin({ schema: softwareDeployment, structured: false });
export const structuredDeploymentPlugin = deploymentPlugin({ schema: structuredDeployment, structured: true });
