/**
 * How a line a deployment's script printed is shown: a debug message of the deployment's
 * resource whose reason is `stdout: <line>` or `stderr: <line>`. The gateway writes them; the
 * CLI's --wait prints them among the events.
 */
export type OutputStream = "stdout" | "stderr";

export const deploymentLogReason = (stream: OutputStream, line: string) => `${stream}: ${line}`;

export function isDeploymentLogLine(n: { kind: string; resourceType?: string | null; reason?: string | null }): boolean {
  return n.kind === "debug" && /Deployment/.test(n.resourceType ?? "") && /^(stdout|stderr): /.test(n.reason ?? "");
}
