/** A real `kiln agent` in a child process, for tests that kill and restart agents. */
import { spawn, type ChildProcess } from "node:child_process";
import { EXITS_WITH_THIS_PROCESS } from "./serverProcess";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AgentProcess {
  child: ChildProcess;
  log: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface AgentArgs {
  url: string;
  serverId: string;
  credential: string;
  stateDir: string;
  hooksDir?: string;
}

/** Started as a user would: the credential in the environment, not on the command line. */
export function startAgent(args: AgentArgs): AgentProcess {
  const argv = [...EXITS_WITH_THIS_PROCESS, "server/cli/kiln.mjs", "agent", "--url", args.url, "--server", args.serverId, "--state-dir", args.stateDir, ...(args.hooksDir ? ["--hooks-dir", args.hooksDir] : [])];
  const child = spawn(process.execPath, argv, { cwd: root, env: { ...process.env, KILN_AGENT_CREDENTIAL: args.credential }, stdio: ["pipe", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (c: Buffer) => (log += c));
  child.stderr!.on("data", (c: Buffer) => (log += c));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    log: () => log,
    exited,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
