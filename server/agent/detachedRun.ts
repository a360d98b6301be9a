/**
 * Runs a deployment's command detached from the agent: in its own session (setsid, so neither
 * a signal to the agent's process group nor the agent's death reaches it), with its output
 * going to files, under a tiny shell wrapper that records its own pid first and the exit code
 * last. An agent that dies mid-run loses nothing: the next one finds the pid, waits for the
 * exit file and collects the result. It never starts the command again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { bootId, type DeploymentState } from "./deploymentState";

/**
 * $1 run directory, $2 stdin file, then the command. The pid is published (atomically) before
 * the command starts, the exit code (atomically) after it ends.
 */
const WRAPPER = [
  'd=$1; i=$2; shift 2',
  'echo $$ > "$d/pid.tmp" && mv "$d/pid.tmp" "$d/pid"',
  '"$@" < "$i" > "$d/stdout" 2> "$d/stderr"',
  'code=$?',
  'echo $code > "$d/exit.tmp" && mv "$d/exit.tmp" "$d/exit"',
].join("\n");

export interface Command {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** A file given to the command as stdin ("/dev/null" for none). */
  stdin: string;
}

/** How a run ended: its exit code, or that its process is gone without one. */
export type RunEnd = { exitCode: number } | { vanished: string } | { stopped: true };

/** Starts the command; answers when it has ended. The state must be marked started already. */
export function startDetached(state: DeploymentState, command: Command): Promise<RunEnd> {
  const child = spawn("/bin/sh", ["-c", WRAPPER, "kiln-run", state.dir, command.stdin, ...command.argv], {
    cwd: command.cwd,
    env: command.env as NodeJS.ProcessEnv,
    detached: true,
    stdio: "ignore",
  });
  // Not unref'd while this agent waits for it (see releaseRuns). Dying does not take it along (its own session).
  running.add(child);
  child.once("exit", () => running.delete(child));
  return new Promise((resolve) => {
    // This process's own child: its exit is told at once; the file says with what code.
    child.once("exit", () => resolve(endOf(state, "the run's wrapper ended without recording an exit code")));
    child.once("error", (err) => resolve({ vanished: `could not start the run: ${err.message}` }));
  });
}

const running = new Set<ChildProcess>();

/** The agent is stopping: it no longer waits for the runs it started (they go on; the next agent collects them). */
export function releaseRuns() {
  for (const child of running) child.unref();
}

/** How long a started entry may lack a pid before its run is taken as never to come. */
const PID_GRACE_MS = 2_000;
const POLL_MS = 100;

/**
 * Waits for a run started by an earlier agent process. After a reboot, or when its process is
 * gone without an exit code, it has vanished: the caller reports it failed, never runs it again.
 */
export async function attach(state: DeploymentState, opts: { pollMs?: number; stopped?: () => boolean } = {}): Promise<RunEnd> {
  const started = state.started();
  if (!started) throw new Error(`attach: ${state.entryId} was never started`);
  const pollMs = opts.pollMs ?? POLL_MS;
  const since = Date.now();
  for (;;) {
    const code = state.exitCode();
    if (code !== undefined) return { exitCode: code };
    if (started.bootId && started.bootId !== bootId()) return { vanished: "the machine restarted while it ran" };
    const pid = state.pid();
    if (pid === undefined) {
      if (Date.now() - since > PID_GRACE_MS) return endOf(state, "the agent stopped before the run began; it is not run again, as it may have begun");
    } else if (!alive(pid) || !isOurWrapper(pid, state.dir)) {
      return endOf(state, `its process (${pid}) ended without recording an exit code`);
    }
    // Still running: the next agent collects it.
    if (opts.stopped?.()) return { stopped: true };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The exit file, read once more: the process may have written it just before it went. */
function endOf(state: DeploymentState, why: string): RunEnd {
  const code = state.exitCode();
  return code !== undefined ? { exitCode: code } : { vanished: why };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The pid is still this run's wrapper, not a process that got the number after it ended: its
 * command line names the run's directory. (Where /proc cannot say, it is taken to be.)
 */
function isOurWrapper(pid: number, runDir: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(runDir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** A wrapper that exited but was not reaped (its parent, an agent, is gone and init is slow) is not running. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
