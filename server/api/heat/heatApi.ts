/**
 * Heat's REST API v1 under /v1/{project_id}/: the door heatclient, the `openstack` CLI and
 * openstacksdk use. Onto the same services and engine as tRPC, behind the same identity: the
 * caller's token (X-Auth-Token, as OpenStack clients send it; never a cookie, so no other
 * site's page can act with a browser's session) must hold a role in the project the path
 * names, the role each route declares (heatRoutes.ts). Or, in no-auth mode (Heat's noauth
 * middleware), one project is served to anyone who can reach the loopback address.
 */
import type http from "node:http";
import { inputLimits, tooDeepAt, tooDeepMessage, tooLargeMessage } from "../../engine/limits";
import { readBody } from "../../httpBody";
import type { Access } from "../../identity/access";
import { credentialsOf } from "../../identity/credentials";
import type { Caller } from "../../identity/identity";
import { roleAllows } from "../../identity/roles";
import type { Runtime } from "../../services/runtime";
import { asHeatError, HeatError, heatErrorBody } from "./heatErrors";
import type { HeatAnswer, HeatContext, HeatRoute } from "./heatRequest";
import { heatRoutes } from "./heatRoutes";

export const HEAT_PREFIX = "/v1/";

export interface HeatApiOptions {
  /** No-auth mode: the one project served, with no credentials asked (main.ts allows it on loopback only). */
  noAuthProject?: string;
  /** template_url may name loopback, private and link-local addresses. */
  templateUrlAllowInternal?: boolean;
}

interface Compiled {
  route: HeatRoute;
  pattern: RegExp;
  names: string[];
}

/** `{name}` matches one segment, `{name*}` the rest; `{name:a|b}` one of the words given. */
function compile(route: HeatRoute): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)(\*|:[\w|]+)?\}/g, (_, name: string, mod?: string) => {
    names.push(name);
    if (mod === "*") return "(.+)";
    if (mod?.startsWith(":")) return `(${mod.slice(1)})`;
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

const compiled = heatRoutes.map(compile);

/** The route for a method and path under the project, or the methods the path allows (405), or nothing (404). */
export function matchRoute(method: string, path: string): { route: HeatRoute; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    if (c.route.method !== method) {
      if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        params[n] = m[i + 1]!;
      }
    });
    return { route: c.route, params };
  }
  return allowed.length ? { allowed } : undefined;
}

const send = (res: http.ServerResponse, answer: HeatAnswer) => {
  const headers: Record<string, string> = { "cache-control": "no-store", ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  res.writeHead(answer.status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(answer.body));
};

const sendError = (res: http.ServerResponse, e: HeatError) => send(res, { status: e.status, body: heatErrorBody(e.status, e.type, e.message), headers: e.headers });

/** A caller in no-auth mode: anyone reaching the loopback address acts as a member of the one project. */
const noAuthCaller = (project: string): Caller => ({
  sessionId: "noauth",
  userId: "noauth",
  userName: "noauth",
  expiresAt: new Date(8.64e15),
  isAdmin: false,
  projects: [{ id: project, name: project, role: "member" }],
  project: { id: project, name: project, role: "member" },
});

/** The handler for requests under /v1/; answers false for paths it does not serve. */
export function heatApi(rt: Runtime, access: Access, options: HeatApiOptions = {}) {
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://kiln");
    const [, , projectRef = "", ...rest] = url.pathname.split("/");
    if (!projectRef) return send(res, { status: 200, body: versions(req) });
    let projectId: string;
    try {
      projectId = decodeURIComponent(projectRef);
    } catch {
      throw new HeatError(404, "NotFound", "The resource could not be found.");
    }
    const path = `/${rest.join("/")}`;
    const method = req.method ?? "GET";

    const caller = await callerFor(req, projectId);
    const project = caller.project!;
    const matched = matchRoute(method, path);
    if (!matched) throw new HeatError(404, "NotFound", `No such path: ${url.pathname}`);
    if ("allowed" in matched) throw new HeatError(405, "MethodNotAllowed", `${method} is not allowed on ${url.pathname}; use ${matched.allowed.join(", ")}`, { allow: matched.allowed.join(", ") });
    const { route, params } = matched;
    if (!roleAllows(project.role, route.access)) {
      throw new HeatError(403, "Forbidden", `This needs the ${route.access} role in project "${project.name}"; you are a ${project.role} there`);
    }
    if (method !== "GET" && !route.changesNothing) {
      const wait = await access.changes.take(project.id);
      if (wait > 0) {
        throw new HeatError(
          429,
          "RequestLimitExceeded",
          `Project "${project.name}" has made ${access.changes.perMinute} changes in the last minute, the most it may (KILN_CHANGES_PER_MINUTE); try again in ${wait} s`,
          { "retry-after": String(wait) },
        );
      }
    }
    const body = await jsonBody(req);
    const host = req.headers.host ?? "localhost";
    const ctx: HeatContext = { rt, req, project, caller, params, query: url.searchParams, body, base: { root: `http://${host}/v1/${encodeURIComponent(projectRef)}` }, templateUrls: { allowInternal: !!options.templateUrlAllowInternal } };
    send(res, await route.handle(ctx));
  };

  /** Who is calling, acting in the path's project; 401 without valid credentials, 403 for a project not theirs (as Heat answers). */
  const callerFor = async (req: http.IncomingMessage, projectRef: string): Promise<Caller> => {
    if (options.noAuthProject !== undefined) {
      if (projectRef !== options.noAuthProject) {
        throw new HeatError(403, "Forbidden", `This Kiln serves project "${options.noAuthProject}" only, without authentication (KILN_HEAT_NOAUTH_PROJECT)`);
      }
      return noAuthCaller(projectRef);
    }
    // Only headers an OpenStack client sets: a browser's session cookie is not a credential here.
    const { token } = credentialsOf({ "x-auth-token": req.headers["x-auth-token"], authorization: req.headers.authorization });
    const caller = await access.identity.callerFor(token, { ref: projectRef, strict: true });
    if (!caller) throw new HeatError(401, "Unauthorized", "Authentication required: send a valid token in X-Auth-Token");
    if (!caller.project || (caller.project.id !== projectRef && caller.project.name !== projectRef)) {
      throw new HeatError(403, "Forbidden", caller.projectProblem ?? `You hold no role in project "${projectRef}"`);
    }
    return caller;
  };

  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path !== "/v1" && !path.startsWith(HEAT_PREFIX)) return false;
    serve(req, res).catch((e) => {
      const known = asHeatError(e);
      if (known) return sendError(res, known);
      rt.log.error({ err: e, path }, "Heat API error");
      sendError(res, new HeatError(500, "InternalError", "Internal error; see the server log."));
    });
    return true;
  };
}

/** Heat's version document, for clients that discover the API's version. */
const versions = (req: http.IncomingMessage) => ({
  versions: [{ id: "v1.0", status: "CURRENT", links: [{ rel: "self", href: `http://${req.headers.host ?? "localhost"}/v1/` }] }],
});

/** The request's JSON object, within the request size and depth limits; {} when there is none. */
async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  if (!["POST", "PUT", "PATCH"].includes(req.method ?? "GET")) return {};
  const { maxRequestBytes, maxDepth } = inputLimits();
  const text = await readBody(req, maxRequestBytes);
  if (text === undefined) throw new HeatError(413, "RequestLimitExceeded", tooLargeMessage("the request body", maxRequestBytes));
  if (!text.trim()) return {};
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new HeatError(415, "UnsupportedMediaType", "Send JSON (Content-Type: application/json)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HeatError(400, "MalformedRequestBody", "The request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new HeatError(400, "MalformedRequestBody", "The request body must be a JSON object");
  const deep = tooDeepAt(parsed, maxDepth);
  if (deep !== undefined) throw new HeatError(400, "MalformedRequestBody", `The request body is ${tooDeepMessage(maxDepth)} (at ${deep})`);
  return parsed as Record<string, unknown>;
}
