/**
 * `kiln agent`: runs Kiln's agent for one server until stopped (SIGTERM/SIGINT). The
 * credential is read from a file or the environment so that it stays out of `ps`; --credential
 * exists for a quick try and says so.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CommandSpec } from "../args";
import { EXIT, UsageError } from "../exit";
import type { CliContext } from "./context";

/** Where heat-agents' 55-heat-config looks for hooks, after --hooks-dir. */
const HEAT_HOOK_DIRS = ["/usr/libexec/heat-config/hooks", "/var/lib/heat-config/hooks"];

export const agent: CommandSpec<CliContext> = {
  words: ["agent"],
  summary: "Run Kiln's agent for one server: deployments are pushed to it, applied once, and signalled back",
  positionals: [],
  options: {
    url: { type: "string", value: "URL", help: "Kiln's base URL (default: $KILN_AGENT_URL, else $KILN_URL)" },
    server: { type: "string", value: "ID", help: "The server's id: its DeployedServer's physical id, or the id in a SOFTWARE_CONFIG Nova server's metadata URL (default: $KILN_AGENT_SERVER)" },
    "credential-file": { type: "string", value: "FILE", help: "File holding the server's credential (default: $KILN_AGENT_CREDENTIAL_FILE)" },
    credential: { type: "string", value: "SECRET", help: "The credential itself; visible to other users in ps, prefer $KILN_AGENT_CREDENTIAL or --credential-file" },
    "state-dir": { type: "string", value: "DIR", help: "Where the agent remembers what it ran (default: $KILN_AGENT_STATE_DIR, else ~/.local/state/kiln-agent/<server>)" },
    "hooks-dir": { type: "string", value: "DIR", multiple: true, help: `Executable hooks, one file per config group, repeatable (default: $KILN_AGENT_HOOKS_DIR, then ${HEAT_HOOK_DIRS.join(", ")})` },
  },
  async run(ctx, { values }) {
    const env = ctx.io.env;
    const given = (flag: unknown, ...names: string[]) => (typeof flag === "string" && flag ? flag : names.map((n) => env[n]).find((v) => !!v));
    const url = given(values.url, "KILN_AGENT_URL", "KILN_URL");
    const serverId = given(values.server, "KILN_AGENT_SERVER");
    if (!url) throw new UsageError("kiln agent needs --url (or KILN_AGENT_URL): Kiln's base URL");
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, not "${url}"`);
    if (!serverId) throw new UsageError("kiln agent needs --server (or KILN_AGENT_SERVER): the server's id, shown on its DeployedServer");
    const credential = readCredential(values.credential, given(values["credential-file"], "KILN_AGENT_CREDENTIAL_FILE"), env.KILN_AGENT_CREDENTIAL);
    const stateDir = path.resolve(ctx.io.cwd, given(values["state-dir"], "KILN_AGENT_STATE_DIR") ?? defaultStateDir(env, serverId));
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const flagged = Array.isArray(values["hooks-dir"]) ? values["hooks-dir"] : [];
    const hooksDirs = [...flagged, ...(env.KILN_AGENT_HOOKS_DIR ? env.KILN_AGENT_HOOKS_DIR.split(path.delimiter) : []), ...HEAT_HOOK_DIRS]
      .filter(Boolean)
      .map((d) => path.resolve(ctx.io.cwd, d));

    // Loaded here: the other commands need no socket.io client.
    const { KilnAgent } = await import("../../agent/agent");
    // Runs inherit the agent's environment, less its own settings (the credential above all).
    const runEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("KILN_")));
    const agentProcess = new KilnAgent({ url, serverId, credential, places: { stateDir, hooksDirs, env: runEnv } }, (level, message, fields) =>
      ctx.io.err(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`),
    );
    ctx.io.err(`kiln agent for server ${serverId}: connecting to ${url}; state in ${stateDir}`);
    const stop = () => agentProcess.stop();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    const end = await agentProcess.start().done;
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    return end === "refused" ? EXIT.api : EXIT.ok;
  },
};

function readCredential(flag: unknown, file: string | undefined, fromEnv: string | undefined): string {
  if (typeof flag === "string" && flag) return flag;
  if (file) {
    try {
      const text = fs.readFileSync(file, "utf8").trim();
      if (text) return text;
    } catch (e) {
      throw new UsageError(`cannot read the credential file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    throw new UsageError(`the credential file ${file} is empty`);
  }
  if (fromEnv) return fromEnv;
  throw new UsageError("kiln agent needs the server's credential: KILN_AGENT_CREDENTIAL, --credential-file FILE, or --credential");
}

function defaultStateDir(env: Readonly<Record<string, string | undefined>>, serverId: string): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(base, "kiln-agent", serverId.replace(/[^A-Za-z0-9._-]/g, "_"));
}
