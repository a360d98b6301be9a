/**
 * A real Kiln server in a child process (API, socket.io and workers; no UI), for tests that
 * need a whole process: crash and restart, the CLI against a server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serverNodeFlags } from "../nodeFlags.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Every test server's admin password (KILN_ADMIN_PASSWORD), so suites can sign in. */
export const TEST_ADMIN_PASSWORD = "test-admin-password";

/** Where to send API calls, and the token to send them with (none: anonymous). */
export interface Endpoint {
  url: string;
  token?: string;
}

export interface ServerProcess extends Endpoint {
  url: string;
  /** The admin's session token, signed in once the server is ready (not for the worker role). */
  token: string;
  child: ChildProcess;
  log: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Node's arguments for a child process that exits when this one ends, however it ends: spawned
 * with a pipe as its stdin, it exits when the pipe closes (exitWithParent.ts).
 */
export const EXITS_WITH_THIS_PROCESS = ["--import", "tsx", "--import", "./server/testing/exitWithParent.ts"];

export function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...serverNodeFlags, ...EXITS_WITH_THIS_PROCESS, "server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", KILN_NO_UI: "1", KILN_ROLE: "all", DATABASE_URL: databaseUrl, LOG_LEVEL: "info", KILN_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ...env },
    stdio: ["pipe", "pipe", "pipe"], // stdin: see EXITS_WITH_THIS_PROCESS
  });
  let log = "";
  diesWithThisProcess(child);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk;
      const line = log.split("\n").find((l) => l.includes('"kiln is ready"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (log += c));
    void exited.then((code) => reject(new Error(`the server exited (${code}) before it was ready:\n${log}`)));
  });
  return ready.then(async (url) => {
    const password = env.KILN_ADMIN_PASSWORD ?? TEST_ADMIN_PASSWORD;
    // A worker serves no API; an empty password means the test wants the generated one.
    const token = env.KILN_ROLE === "worker" || !password ? "" : await signIn(url, "admin", password);
    return { url, token, child, log: () => log, stop };
  });
}

/** Servers started here and still running. */
const running = new Set<ChildProcess>();
let killingOnExit = false;

/**
 * A test or bench that dies of an uncaught error never stops its servers: they would live on,
 * orphaned, their log pipe unread, using a core the next run measures with. Killed on exit;
 * killed by a signal, this process runs no exit handler, and they exit by themselves
 * (exitWithParent.ts).
 */
function diesWithThisProcess(child: ChildProcess) {
  if (!killingOnExit) process.once("exit", () => running.forEach((c) => c.kill("SIGKILL")));
  killingOnExit = true;
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/** Signs in as the CLI does and answers the session token. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password, client: "cli" }) });
  const body = (await res.json()) as { token?: string; error?: string };
  if (!body.token) throw new Error(`signing in as ${username} failed: ${body.error}`);
  return body.token;
}

/** Headers of a request made with an endpoint's token. */
export const authHeaders = (endpoint: Endpoint): Record<string, string> => (endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {});

/** Calls a tRPC procedure over HTTP as any client would, with the endpoint's token. */
export async function trpc<T>(endpoint: Endpoint, procedure: string, input: unknown, kind: "query" | "mutation" = "query"): Promise<T> {
  const { url } = endpoint;
  const res =
    kind === "query"
      ? await fetch(`${url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: authHeaders(endpoint) })
      : await fetch(`${url}/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", ...authHeaders(endpoint) }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result!.data;
}
