/**
 * A server's report of one deployment: stored on the deployment row (once: only a row still
 * IN_PROGRESS takes it, so a repeated signal changes nothing), shown as the resource's SIGNAL
 * event, and the deployment resource woken to finish — no polling.
 */
import { signalOutcome } from "../resources/software/deploymentSignal";
import type { EngineContext } from "./engineContext";
import { OperationRefused } from "../errors";
import { JOB, resumeJob, WAIT_KEY, type WaitMarker } from "./jobs";
import { shownType } from "./resourceRows";

export async function signalDeployment(ctx: EngineContext, deploymentId: string, body: unknown): Promise<{ status: string }> {
  const { software, store, notifier, queue } = ctx.deps;
  const d = await software.getDeployment(deploymentId);
  if (!d) throw new OperationRefused(`No software deployment ${deploymentId}`);
  if (d.status !== "IN_PROGRESS") return { status: d.status };
  const outcome = signalOutcome(d.id, await software.getConfig(d.configId), d.outputValues, body);
  const { eventReason, ...patch } = outcome;
  if (!(await software.updateDeployment(d.id, patch, "IN_PROGRESS"))) return { status: (await software.getDeployment(d.id))?.status ?? "DELETED" };
  const row = await store.getResource(d.resourceId);
  if (!row) return { status: outcome.status };
  // Heat's SIGNAL event carries the resource's status at the time (IN_PROGRESS while it waits);
  // SIGNAL_COMPLETE, as for a wait condition's handle, keeps the live view's spans closed.
  await notifier.notify([
    { stackId: row.stackId, kind: "event", resourceName: row.name, physicalResourceId: row.physicalId, resourceType: shownType(row), action: "SIGNAL", status: "COMPLETE", reason: `Signal: ${eventReason}` },
  ]);
  const marker = row.data[WAIT_KEY] as WaitMarker | undefined;
  if (marker) await queue.enqueue([{ kind: JOB.resume, payload: resumeJob(row.id, row.stackId, marker) }]);
  return { status: outcome.status };
}
