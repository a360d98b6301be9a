/**
 * The URLs a Heat server image uses unchanged: the metadata URL os-collect-config's `request`
 * collector polls (POLL_TEMP_URL), and each deployment's signal URL heat-config-notify sends
 * the outputs to (TEMP_URL_SIGNAL: PUT, CFN_SIGNAL: POST). Like Swift temp URLs, the secret is
 * in the path: a server's credential, a deployment's token. Anything wrong answers 404 with
 * nothing more, whichever part was wrong.
 */
import type http from "node:http";
import { inputLimits } from "../engine/limits";
import { InvalidDeploymentSignal } from "../engine/errors";
import { readJsonBody } from "../httpBody";
import type { Runtime } from "../services/runtime";
import { agentMetadata, AgentRefused, signalDeployment } from "../services/software";

const METADATA = /^\/api\/servers\/([0-9a-f-]{36})\/metadata\/([A-Za-z0-9_-]{1,128})\/?$/;
const DEPLOYMENT_SIGNAL = /^\/api\/deployments\/([0-9a-f-]{36})\/signal\/([A-Za-z0-9_-]{1,128})\/?$/;

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
};

const notFound = (res: http.ServerResponse) => send(res, 404, { error: "Not found" });

/** Serves the request and answers true when it is one of these URLs; false passes it on. */
export function heatCompatibleRoutes(rt: Runtime): (req: http.IncomingMessage, res: http.ServerResponse, path: string) => boolean {
  const failed = (res: http.ServerResponse) => (e: unknown) => {
    if (e instanceof AgentRefused) return notFound(res);
    rt.log.error({ err: e }, "agent request failed");
    if (!res.headersSent) send(res, 500, { error: "Internal error; see the server log." });
    else res.destroy();
  };
  return (req, res, path) => {
    const metadata = METADATA.exec(path);
    if (metadata) {
      void serveMetadata(rt, req, res, metadata[1]!, metadata[2]!).catch(failed(res));
      return true;
    }
    const signal = DEPLOYMENT_SIGNAL.exec(path);
    if (signal) {
      // Reading the body throws when the sender hangs up: caught, or it would end the process.
      void receiveSignal(rt, req, res, signal[1]!, signal[2]!).catch(failed(res));
      return true;
    }
    return false;
  };
}

async function serveMetadata(rt: Runtime, req: http.IncomingMessage, res: http.ServerResponse, serverId: string, credential: string) {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "Read metadata with GET or HEAD" }, { allow: "GET, HEAD" });
  const md = await agentMetadata(rt, serverId, credential);
  const lastModified = md.lastModified.toUTCString();
  const since = Date.parse(String(req.headers["if-modified-since"] ?? ""));
  // Revalidated, never stored by a cache: the URL carries the credential.
  const headers = { "last-modified": lastModified, "cache-control": "no-cache, private" };
  if (!Number.isNaN(since) && md.lastModified.getTime() <= since) {
    res.writeHead(304, headers);
    return res.end();
  }
  const body = JSON.stringify({ deployments: md.deployments, "os-collect-config": md.osCollectConfig });
  res.writeHead(200, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(req.method === "HEAD" ? undefined : body);
}

async function receiveSignal(rt: Runtime, req: http.IncomingMessage, res: http.ServerResponse, deploymentId: string, token: string) {
  if (req.method !== "PUT" && req.method !== "POST") return send(res, 405, { error: "Send a deployment's outputs with PUT or POST" }, { allow: "PUT, POST" });
  const { maxValueBytes } = inputLimits();
  const body = await readJsonBody(req, maxValueBytes);
  if (!body.ok && body.problem === "too large") {
    // The rest is read and dropped so the sender sees the answer rather than a reset connection.
    req.resume();
    return send(res, 413, { error: `A deployment signal is at most ${Math.round(maxValueBytes / 1024)} KB` }, { connection: "close" });
  }
  if (!body.ok) return send(res, 400, { error: "The signal body is not JSON" });
  try {
    send(res, 200, await signalDeployment(rt, deploymentId, body.value, { token }));
  } catch (e) {
    if (e instanceof InvalidDeploymentSignal) return send(res, 400, { error: e.message });
    throw e;
  }
}
