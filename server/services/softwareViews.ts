/**
 * Software configs, deployments and agents as people see them (the stack page and
 * `kiln software …`): Heat's fields, project-scoped, with credentials masked for readers as the
 * resource views mask them. What agents themselves may do is in software.ts.
 */
import type { ResourceRecord, SoftwareConfigRecord, SoftwareDeploymentRecord, StackRecord } from "../engine/ports";
import { isAgentServer, SOFTWARE_SERVER_TYPES } from "../engine/resources/software/softwareServers";
import { maskHidden, maskText } from "../engine/template/hiddenValues";
import { StoredAgentPresence } from "../agents/agentPresence";
import type { Runtime } from "./runtime";
import { listResources, NotFound } from "./stacks";
import { secretsShownTo, type Viewer } from "./shownSecrets";

const DEPLOYMENT_TYPES = new Set(["OS::Heat::SoftwareDeployment", "OS::Heat::StructuredDeployment"]);

/** A server of the stack's tree that Kiln's agent serves (isAgentServer) and its agent, as the graph and the panel show it. */
export interface AgentView {
  resourceName: string;
  /** Where the resource is in the tree ("" for the stack itself), as resources.list says. */
  stackPath: string;
  serverId: string;
  /** Never connected: null. `transport` is socket.io's (websocket, or polling behind a proxy that allows no WebSocket). */
  agent: { connected: boolean; transport: string; address: string; connectedAt: string | null; lastSeenAt: string | null; disconnectedAt: string | null } | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The servers of the stack's tree that Kiln's agent serves, as listed, with their stored rows. */
async function agentServers(rt: Runtime, stack: StackRecord) {
  const candidates = (await listResources(rt, stack, 5)).filter((r) => SOFTWARE_SERVER_TYPES.includes(r.type) && r.physicalId);
  const rows = await Promise.all(candidates.map((s) => rt.software.serverResource(s.physicalId!)));
  return candidates.flatMap((s, i) => {
    const row = rows[i];
    return row && isAgentServer(row) ? [{ ...s, physicalId: s.physicalId!, row }] : [];
  });
}

/** Every server of the stack's tree that Kiln's agent serves, with its agent's state. */
export async function agentsOf(rt: Runtime, stack: StackRecord): Promise<AgentView[]> {
  const servers = await agentServers(rt, stack);
  const rows = await new StoredAgentPresence(rt.db).of(servers.map((s) => s.physicalId));
  const byServer = new Map(rows.filter((p) => p.projectId === stack.projectId).map((p) => [p.serverId, p]));
  return servers.map((s) => {
    const p = byServer.get(s.physicalId);
    return {
      resourceName: s.name,
      stackPath: s.stackPath,
      serverId: s.physicalId,
      agent: p
        ? { connected: p.connected, transport: p.transport, address: p.address, connectedAt: iso(p.connectedAt), lastSeenAt: iso(p.lastSeenAt), disconnectedAt: iso(p.disconnectedAt) }
        : null,
    };
  });
}

/**
 * What `kiln agent` needs for each agent-served server of the tree: Kiln's URL, the server id and its
 * credential. For members and admins only (the procedure says so): the credential lets whoever
 * holds it read the server's configs.
 */
export async function agentCommandsOf(rt: Runtime, stack: StackRecord) {
  const out: { resourceName: string; stackPath: string; url: string; serverId: string; credential: string }[] = [];
  for (const { row, ...s } of await agentServers(rt, stack)) {
    const credential = row.data.credential;
    if (row.action !== "DELETE" && typeof credential === "string") out.push({ resourceName: s.name, stackPath: s.stackPath, url: rt.publicUrl(), serverId: s.physicalId, credential });
  }
  return out;
}

/** What a caller may not see of a deployment or config of this stack: hidden values, and for readers credentials and the signal token. */
async function secretsOf(rt: Runtime, stackId: string, viewer: Viewer, signalToken?: string): Promise<string[]> {
  const stack = await rt.store.getStack(stackId);
  const secrets = stack ? await secretsShownTo(rt, stack, viewer) : [];
  return !viewer.seesCredentials && signalToken ? [...secrets, signalToken] : secrets;
}

/** Heat's software_deployment fields. */
function deploymentView(d: SoftwareDeploymentRecord, secrets: string[]) {
  return {
    id: d.id,
    server_id: d.serverId,
    config_id: d.configId,
    creation_time: d.createdAt,
    updated_time: d.updatedAt,
    status: d.status,
    status_reason: maskText(d.statusReason, secrets),
    input_values: maskHidden(d.inputValues, secrets),
    action: d.action,
    output_values: maskHidden(d.outputValues, secrets),
  };
}

/** Heat's software_config fields. */
function configView(c: SoftwareConfigRecord, secrets: string[]) {
  return {
    id: c.id,
    name: c.name,
    group: c.group,
    config: maskHidden(c.config.config, secrets),
    inputs: maskHidden(c.config.inputs, secrets),
    outputs: c.config.outputs,
    options: c.config.options,
    creation_time: c.createdAt,
  };
}

export type DeploymentView = ReturnType<typeof deploymentView>;
export type ConfigView = ReturnType<typeof configView>;

/**
 * For the resource panel: the deployment behind a SoftwareDeployment or StructuredDeployment
 * resource and the config it applied. Null for any other resource, or one not deployed yet.
 */
export async function deploymentOfResource(rt: Runtime, stack: StackRecord, resourceName: string, viewer: Viewer) {
  const r = (await listResources(rt, stack, 0)).find((x) => x.name === resourceName);
  if (!r) throw new NotFound(`Resource "${resourceName}" not found in stack "${stack.name}"`);
  if (!DEPLOYMENT_TYPES.has(r.type) || !r.physicalId) return null;
  const d = await rt.software.getDeployment(r.physicalId);
  if (!d || d.projectId !== stack.projectId) return null;
  const secrets = await secretsOf(rt, d.stackId, viewer, d.signalToken);
  const config = await rt.software.getConfig(d.configId);
  return {
    ...deploymentView(d, secrets),
    config: config ? { id: config.id, name: config.name, group: config.group, outputs: config.config.outputs } : null,
  };
}

export async function listDeployments(rt: Runtime, projectId: string, serverId: string | undefined, viewer: Viewer) {
  const all = await rt.software.projectDeployments(projectId, serverId);
  const secretsByStack = new Map<string, Promise<string[]>>();
  return Promise.all(
    all.map(async (d) => {
      if (!secretsByStack.has(d.stackId)) secretsByStack.set(d.stackId, secretsOf(rt, d.stackId, viewer));
      const secrets = await secretsByStack.get(d.stackId)!;
      return deploymentView(d, viewer.seesCredentials ? secrets : [...secrets, d.signalToken]);
    }),
  );
}

export async function showDeployment(rt: Runtime, projectId: string, id: string, viewer: Viewer) {
  const d = await rt.software.getDeployment(id);
  if (!d || d.projectId !== projectId) throw new NotFound(`Software deployment not found: ${id}`);
  return deploymentView(d, await secretsOf(rt, d.stackId, viewer, d.signalToken));
}

/** The stack a config belongs to: the deployment it was derived for, or the SoftwareConfig resource that made it. */
async function configSecrets(rt: Runtime, c: SoftwareConfigRecord, viewer: Viewer): Promise<string[]> {
  const d = await rt.software.deploymentOfConfig(c.id);
  if (d) return secretsOf(rt, d.stackId, viewer, d.signalToken);
  const made: ResourceRecord | undefined = await rt.software.resourceByPhysicalId(c.id);
  return made ? secretsOf(rt, made.stackId, viewer) : [];
}

export async function listConfigs(rt: Runtime, projectId: string, page: { limit: number; marker?: string }, viewer: Viewer) {
  const configs = await rt.software.projectConfigs(projectId, page.limit, page.marker);
  if (!configs) throw new NotFound(`Software config not found: ${page.marker}`);
  return Promise.all(configs.map(async (c) => configView(c, await configSecrets(rt, c, viewer))));
}

export async function showConfig(rt: Runtime, projectId: string, id: string, viewer: Viewer) {
  const c = await rt.software.getConfig(id);
  if (!c || c.projectId !== projectId) throw new NotFound(`Software config not found: ${id}`);
  return configView(c, await configSecrets(rt, c, viewer));
}
