/**
 * How a line a deployment's script printed is shown: a debug message of the deployment's
 * resource whose reason is `stdout: <line>` or `stderr: <line>`. The gateway writes them; the
 * CLI's --wait prints them among the events.
 */
export type OutputStream = "stdout" | "stderr";

/** Characters of one line shown; the agent cuts longer ones, and Kiln cuts what any client sends. */
export const MAX_LINE_CHARS = 4000;

export function cutLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  return `${line.slice(0, MAX_LINE_CHARS)} … (line cut: ${line.length - MAX_LINE_CHARS} more characters)`;
}

export const deploymentLogReason = (stream: OutputStream, line: string) => `${stream}: ${line}`;

export function isDeploymentLogLine(n: { kind: string; resourceType?: string | null; reason?: string | null }): boolean {
  return n.kind === "debug" && /Deployment/.test(n.resourceType ?? "") && /^(stdout|stderr): /.test(n.reason ?? "");
}
