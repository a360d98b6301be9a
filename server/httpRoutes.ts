/**
 * Plain HTTP endpoints served beside the UI: health and version (for load balancers and
 * scripts), and tRPC under /api/trpc.
 */
import type http from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "./api/root";
import type { Services } from "./api/trpc";
import { checkHealth, type QueueStatus } from "./services/health";
import type { Role } from "./config";
import { versionInfo } from "./version";

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

/** Returns a handler that serves the request and answers true, or answers false to pass it on. */
export function apiRoutes(services: Services, queue: QueueStatus, role: Role): RouteHandler {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: () => ({ ...services, projectId: "default" }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") services.log.error({ err: error.cause ?? error, path }, "API error");
    },
  });
  return (req, res) => {
    const url = req.url ?? "/";
    if (url === "/healthz" || url.startsWith("/healthz?")) {
      void checkHealth(services.db, queue, role).then((h) => sendJson(res, h.ok ? 200 : 503, h));
      return true;
    }
    if (url === "/version" || url === "/api/version") {
      sendJson(res, 200, versionInfo);
      return true;
    }
    if (url.startsWith("/api/trpc/")) {
      trpc(req, res);
      return true;
    }
    return false;
  };
}
