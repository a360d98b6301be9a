/**
 * What a server's agent may do, and who it is: read its own deployment metadata (with its
 * server credential) and report a deployment's outputs (with the deployment's signal token, or
 * its server's credential). Every door for agents — Heat's metadata and signal URLs, Kiln's
 * agent connection — goes through here.
 */
import { inputLimits, tooDeepAt, tooDeepMessage } from "../engine/limits";
import { InvalidDeploymentSignal } from "../engine/errors";
import { tokenMatches } from "../engine/resources/plugins/waitConditionHandle";
import { metadataEntry } from "../engine/resources/software/derivedConfig";
import type { ResourceRecord, SoftwareDeploymentRecord } from "../engine/ports";
import type { Runtime } from "./runtime";

/** An unknown server or deployment, or a wrong credential: one message for all, so a refusal tells nothing. */
export class AgentRefused extends Error {
  constructor() {
    super("Not found");
  }
}

export interface AgentMetadata {
  /** The server's id as deployments name it, whichever id the agent gave (see softwareServers.ts). */
  serverId: string;
  projectId: string;
  /** The server's software_config_transport. */
  transport: string;
  /** Changes whenever the deployments change (opaque). */
  version: string;
  /** For HTTP Last-Modified: a later whole second after every change. */
  lastModified: Date;
  /** Heat's metadata "deployments" list: each deployment's derived config, sorted by config name. */
  deployments: unknown[];
  /** The os-collect-config section of Heat's metadata (a DeployedServer's os_collect_config attribute, a Nova server's user_data). */
  osCollectConfig: unknown;
}

/** The server's resource row when the credential is its own and it is not being deleted. */
async function authenticServer(rt: Runtime, serverId: string, credential: string): Promise<ResourceRecord> {
  const row = await rt.software.serverResource(serverId);
  const own = row?.data.credential;
  // A server being deleted has had its credential revoked already.
  if (!row || row.action === "DELETE" || typeof own !== "string" || !tokenMatches(credential, own)) throw new AgentRefused();
  return row;
}

const projectOf = async (rt: Runtime, server: ResourceRecord) => (await rt.store.getStack(server.stackId))?.projectId;

/**
 * The deployments made in the server's own project. Any template may name any server id, so a
 * deployment of another project naming this server is not this server's: as in Heat, whose
 * server reads deployments within its project only.
 */
export async function serverDeployments(rt: Runtime, serverId: string): Promise<SoftwareDeploymentRecord[]> {
  const server = await rt.software.serverResource(serverId);
  const projectId = server && (await projectOf(rt, server));
  if (!projectId) return [];
  return (await rt.software.serverDeployments(server.physicalId ?? serverId)).filter((d) => d.projectId === projectId);
}

export async function agentMetadata(rt: Runtime, serverKey: string, credential: string): Promise<AgentMetadata> {
  const row = await authenticServer(rt, serverKey, credential);
  // A Nova server not yet given its id by Nova has no deployments yet either.
  const serverId = row.physicalId ?? serverKey;
  const deployments = await serverDeployments(rt, serverId);
  const configs = (await Promise.all(deployments.map((d) => rt.software.getConfig(d.configId)))).filter((c) => c !== undefined);
  configs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const stamp = await rt.software.serverStamp(serverId);
  // Servers created before stamps existed: their creation, to the second.
  const created = Math.floor(Date.parse(row.createdAt) / 1000) * 1000;
  return {
    serverId,
    projectId: (await projectOf(rt, row)) ?? "",
    transport: String(row.properties.software_config_transport ?? "POLL_SERVER_CFN"),
    version: String(stamp?.version ?? 0),
    lastModified: new Date(stamp?.modifiedAt ?? created),
    deployments: configs.map(metadataEntry),
    osCollectConfig: row.attributes.os_collect_config ?? row.data.osCollectConfig ?? {},
  };
}

/**
 * body: heat-config-notify's JSON ({deploy_stdout, deploy_stderr, deploy_status_code, <outputs>}).
 * auth: the deployment's own signal token (Heat URLs) or the server's credential (Kiln agent;
 * only deployments of that server). Idempotent: a repeated signal for a deployment that is no
 * longer IN_PROGRESS is acknowledged and changes nothing. Throws AgentRefused, or
 * InvalidDeploymentSignal (400) for a body that is not a JSON object or is nested too deep.
 */
export async function signalDeployment(
  rt: Runtime,
  deploymentId: string,
  body: unknown,
  auth: { token: string } | { serverId: string; credential: string },
): Promise<{ status: string }> {
  const d = await rt.software.getDeployment(deploymentId);
  if (!d) throw new AgentRefused();
  if ("token" in auth) {
    if (!tokenMatches(auth.token, d.signalToken)) throw new AgentRefused();
  } else {
    const server = await authenticServer(rt, auth.serverId, auth.credential);
    if (d.serverId !== (server.physicalId ?? auth.serverId) || d.projectId !== (await projectOf(rt, server))) throw new AgentRefused();
  }
  // Here, not at each door: the agent connection's reports are held to the signal URL's limit.
  const { maxDepth } = inputLimits();
  if (tooDeepAt(body, maxDepth) !== undefined) throw new InvalidDeploymentSignal(`The signal is ${tooDeepMessage(maxDepth)}`);
  return rt.engine.signalDeployment(deploymentId, body);
}

/** Who a deployment belongs to, for log lines shown as debug messages of that resource. */
export async function deploymentOwner(
  rt: Runtime,
  deploymentId: string,
): Promise<{ projectId: string; serverId: string; stackId: string; resourceName: string; resourceType: string } | undefined> {
  const d = await rt.software.getDeployment(deploymentId);
  return d && { projectId: d.projectId, serverId: d.serverId, stackId: d.stackId, resourceName: d.resourceName, resourceType: d.resourceType };
}
