/**
 * A real Kiln server in a child process (API, socket.io and workers; no UI), for tests that
 * need a whole process: crash and restart, the CLI against a server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", KILN_NO_UI: "1", KILN_ROLE: "all", DATABASE_URL: databaseUrl, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk;
      const line = log.split("\n").find((l) => l.includes('"kiln is ready"'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child, log: () => log, stop });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (log += c));
    void exited.then((code) => reject(new Error(`the server exited (${code}) before it was ready:\n${log}`)));
  });
}

/** Calls a tRPC procedure over HTTP as any client would. */
export async function trpc<T>(url: string, procedure: string, input: unknown, kind: "query" | "mutation" = "query"): Promise<T> {
  const res =
    kind === "query"
      ? await fetch(`${url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await fetch(`${url}/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result!.data;
}
