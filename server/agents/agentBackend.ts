/**
 * The agent gateway's view of the software services. The agent names a deployment by its
 * metadata entry's id (the derived config's, which is all the metadata holds, as in Heat);
 * here that becomes the deployment now pointing at that config. An entry of an earlier action
 * then names no deployment and is refused, so a late report can never complete a newer action.
 */
import { InvalidDeploymentSignal, OperationRefused } from "../engine/errors";
import { secretSet } from "../engine/template/hiddenValues";
import { agentMetadata, AgentRefused, deploymentOwner, serverDeployments, signalDeployment } from "../services/software";
import type { Runtime } from "../services/runtime";
import type { AgentBackend, LogTarget } from "./agentGateway";

/** A signal naming no current deployment of the server. */
class StaleEntry extends Error {
  constructor(entryId: string) {
    super(`No deployment of this server is waiting for ${entryId}: it was replaced or deleted`);
  }
}

export function agentBackend(rt: Runtime): AgentBackend {
  const deploymentOf = async (serverId: string, entryId: string) =>
    (await serverDeployments(rt, serverId)).find((d) => d.configId === entryId);
  return {
    metadata: (serverId, credential) => agentMetadata(rt, serverId, credential),
    async signal(serverId, credential, entryId, body) {
      const deployment = await deploymentOf(serverId, entryId);
      if (!deployment) {
        // Checked first, so that a wrong credential learns nothing about which entries exist.
        await agentMetadata(rt, serverId, credential);
        throw new StaleEntry(entryId);
      }
      return signalDeployment(rt, deployment.id, body, { serverId, credential });
    },
    async logTarget(serverId, entryId): Promise<LogTarget | undefined> {
      const deployment = await deploymentOf(serverId, entryId);
      const owner = deployment && (await deploymentOwner(rt, deployment.id));
      if (!owner || owner.serverId !== serverId) return undefined;
      const stack = await rt.store.getStack(owner.stackId);
      if (!stack) return undefined;
      // A script may print what it was given: a hidden parameter's value is masked here as in
      // every view, and so are its signal token and its server's credential (written once, for
      // readers too, who may not see credentials).
      const credential = (await rt.software.serverResource(serverId))?.data.credential;
      const credentials = [deployment.signalToken, typeof credential === "string" ? credential : ""];
      return { stackId: stack.id, resourceName: owner.resourceName, resourceType: owner.resourceType, physicalResourceId: deployment.id, secrets: secretSet(await rt.engine.ctx.secrets(stack), credentials) };
    },
    async serverResource(serverId) {
      const row = await rt.software.serverResource(serverId);
      return row ? { stackId: row.stackId, resourceName: row.name, resourceType: row.type, physicalResourceId: serverId } : undefined;
    },
    isRefusal: (err) => err instanceof AgentRefused || err instanceof StaleEntry || err instanceof InvalidDeploymentSignal || err instanceof OperationRefused,
  };
}
