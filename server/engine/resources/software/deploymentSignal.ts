/**
 * What a server's report of a deployment means (Heat's signal_software_deployment, read for
 * behaviour): the outputs the config declares and the three deploy_* values are kept; a
 * non-zero status code, or any value in an output marked error_output, fails the deployment.
 */
import type { SoftwareConfigRecord, Status } from "../../ports";
import { InvalidDeploymentSignal } from "../../errors";

export const STANDARD_OUTPUTS = ["deploy_stdout", "deploy_stderr", "deploy_status_code"] as const;

export interface SignalOutcome {
  status: Extract<Status, "COMPLETE" | "FAILED">;
  statusReason: string;
  outputValues: Record<string, unknown>;
  /** The event's reason: `deployment <id> succeeded`, `… failed (<code>)` or `… failed`. */
  eventReason: string;
}

export function signalOutcome(deploymentId: string, config: SoftwareConfigRecord | undefined, previous: Record<string, unknown>, body: unknown): SignalOutcome {
  if (body !== null && body !== undefined && (typeof body !== "object" || Array.isArray(body))) {
    throw new InvalidDeploymentSignal("A deployment signal is a JSON object of output values (deploy_stdout, deploy_stderr, deploy_status_code and the config's outputs)");
  }
  const details = (body ?? {}) as Record<string, unknown>;
  const outputValues = { ...previous };
  const reasons: [string, unknown][] = [];
  let failed = false;
  let eventReason = `deployment ${deploymentId} succeeded`;
  const code = details.deploy_status_code;
  if (code !== undefined && code !== null && code !== "" && code !== 0 && code !== false && String(code) !== "0") {
    failed = true;
    reasons.push(["deploy_status_code", `Deployment exited with non-zero status code: ${String(code)}`]);
    eventReason = `deployment ${deploymentId} failed (${String(code)})`;
  }
  for (const output of config?.config.outputs ?? []) {
    const name = String(output.name);
    if (!(name in details)) continue;
    outputValues[name] = details[name];
    if (output.error_output) {
      failed = true;
      reasons.push([name, details[name]]);
      eventReason = `deployment ${deploymentId} failed`;
    }
  }
  for (const name of STANDARD_OUTPUTS) outputValues[name] = details[name] ?? null;
  return failed
    ? { status: "FAILED", statusReason: reasons.map(([k, v]) => `${k} : ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", "), outputValues, eventReason }
    : { status: "COMPLETE", statusReason: "Outputs received", outputValues, eventReason };
}
