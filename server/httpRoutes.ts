/**
 * Plain HTTP endpoints served beside the UI: health and version (for load balancers and
 * scripts, open to all), and, for requests that pass the Host and Origin checks (access.ts),
 * signing in and out, wait-condition signals (for curl on a server, each with its handle's
 * token), Heat's deployment metadata and signal URLs (each with its server's or deployment's
 * secret in the path), tRPC under /api/trpc (each procedure with the role it needs) and Heat's
 * REST API v1 under /v1 (api/heat: each route with the role it needs).
 */
import type http from "node:http";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "./api/root";
import { heatApi, type HeatApiOptions } from "./api/heat/heatApi";
import type { Role } from "./config";
import { heatCompatibleRoutes } from "./agents/heatCompatibleRoutes";
import { InvalidSignal, OperationRefused, SignalRefused } from "./engine/errors";
import { inputLimits, tooDeepAt, tooDeepMessage } from "./engine/limits";
import { readJsonBody } from "./httpBody";
import type { Access } from "./identity/access";
import { IdentityUnavailable } from "./identity/identity";
import { handleSession, SESSION_PATH } from "./identity/sessionRoutes";
import { checkHealth, publicHealth } from "./services/health";
import type { Runtime } from "./services/runtime";
import { versionInfo } from "./version";

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

const SIGNAL = /^\/api\/signal\/([0-9a-f-]{36})\/?$/;
const MAX_SIGNAL_BYTES = 64 * 1024;

/**
 * Returns a handler that serves the request and answers true, or answers false to pass it on
 * (to the UI). A request refused by the Host or Origin checks is answered here, whatever it was for.
 */
export function apiRoutes(rt: Runtime, role: Role, access: Access, heatOptions: HeatApiOptions = {}): RouteHandler {
  /** Keystone down: the caller is unknown, which is not the same as refused (503, not 401); the operator hears of it. */
  const unavailableAs503 = (e: unknown): never => {
    if (!(e instanceof IdentityUnavailable)) throw e;
    rt.log.warn({ reason: e.message }, "cannot tell who is calling: the identity service is unavailable");
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: e.message, cause: e });
  };
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    maxBodySize: inputLimits().maxRequestBytes,
    createContext: async ({ req }) => ({ rt, identity: access.identity, caller: await access.callerOf(req).catch(unavailableAs503), changes: access.changes }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") rt.log.error({ err: error.cause ?? error, path }, "API error");
    },
  });
  const heatUrls = heatCompatibleRoutes(rt);
  const heat = heatApi(rt, access, heatOptions);
  return (req, res) => {
    const url = (req.url ?? "/").split("?")[0]!;
    if (url === "/healthz") {
      void checkHealth(rt.db, rt.queue, role).then((h) => {
        if (!h.ok) rt.log.warn({ health: h }, "unhealthy");
        sendJson(res, h.ok ? 200 : 503, publicHealth(h));
      });
      return true;
    }
    if (url === "/version" || url === "/api/version") {
      sendJson(res, 200, versionInfo);
      return true;
    }
    const refused = access.refusal(req);
    if (refused) {
      sendJson(res, refused.status, { error: refused.message });
      return true;
    }
    if (url === SESSION_PATH) {
      void handleSession(access, req, res).catch((e) => {
        rt.log.error({ err: e }, "sign-in failed");
        sendJson(res, 500, { error: "Internal error; see the server log." });
      });
      return true;
    }
    const signal = SIGNAL.exec(url);
    if (signal) {
      // Reading the body throws when the sender hangs up: caught, or it would end the process.
      void handleSignal(rt, signal[1]!, req, res).catch((e) => {
        rt.log.error({ err: e }, "signal failed");
        sendJson(res, 500, { error: "Internal error; see the server log." });
      });
      return true;
    }
    if (heatUrls(req, res, url)) return true;
    if (heat(req, res)) return true;
    if (url.startsWith("/api/trpc/")) {
      // What one session reads is never kept for another: a browser's history navigation would
      // otherwise answer a query from its cache (the stack page's early GETs first of all).
      res.setHeader("cache-control", "no-store");
      trpc(req, res);
      return true;
    }
    return false;
  };
}

async function handleSignal(rt: Runtime, handleId: string, req: http.IncomingMessage, res: http.ServerResponse) {
  if (req.method !== "POST") return sendJson(res, 405, { error: "Send signals with POST" });
  const body = await readJsonBody(req, MAX_SIGNAL_BYTES);
  if (!body.ok && body.problem === "too large") return sendJson(res, 413, { error: "A signal is at most 64 KB" });
  if (!body.ok) return sendJson(res, 400, { error: "The signal body is not JSON" });
  const { maxDepth } = inputLimits();
  if (tooDeepAt(body.value, maxDepth) !== undefined) return sendJson(res, 400, { error: `The signal is ${tooDeepMessage(maxDepth)}` });
  const token = req.headers["x-auth-token"];
  try {
    const signal = await rt.engine.signal(handleId, Array.isArray(token) ? token[0] : token, body.value);
    sendJson(res, 200, signal);
  } catch (e) {
    if (e instanceof SignalRefused) return sendJson(res, 401, { error: e.message });
    if (e instanceof OperationRefused) return sendJson(res, 404, { error: e.message });
    if (e instanceof InvalidSignal) return sendJson(res, 400, { error: e.message });
    rt.log.error({ err: e }, "signal failed");
    sendJson(res, 500, { error: "Internal error; see the server log." });
  }
}
