/**
 * What a Heat API route is, and what it is given: the route declares its path, method and
 * who may call it (a role in the project the path names); the handler gets the request parsed
 * (path parameters, query, JSON body) and answers a status and a body.
 */
import type http from "node:http";
import type { Caller } from "../../identity/identity";
import type { ProjectRole } from "../../identity/identityStore";
import type { Role } from "../../identity/roles";
import type { Runtime } from "../../services/runtime";
import { HeatError } from "./heatErrors";
import type { LinkBase } from "./heatViews";

export interface HeatContext {
  rt: Runtime;
  req: http.IncomingMessage;
  /** The project the path names, which the caller holds a role in. */
  project: ProjectRole;
  caller: Caller;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (an object), or {} when none was sent. */
  body: Record<string, unknown>;
  base: LinkBase;
  /** Whether template_url may name an internal address (KILN_TEMPLATE_URL_ALLOW_INTERNAL). */
  templateUrls: { allowInternal: boolean };
}

export interface HeatAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HeatRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under /v1/{project_id}; `{name}` is one path segment, `{name*}` the rest of the path. */
  path: string;
  /** The role the caller needs in the path's project. */
  access: Role;
  /** A POST/PUT/PATCH/DELETE that changes nothing (validate, preview): not counted against the project's changes per minute. */
  changesNothing?: boolean;
  handle(ctx: HeatContext): Promise<HeatAnswer>;
}

export const ok = (body: unknown, status = 200): HeatAnswer => ({ status, body });
export const bad = (type: string, message: string) => new HeatError(400, type, message);

/**
 * A route for what Heat can do and Kiln cannot: a 400 saying so, changing nothing. Without it
 * the caller would get "no such path", which heatclient reports as "Stack not found".
 */
export const refusedAsUnsupported =
  (message: string) =>
  async (): Promise<never> => {
    throw bad("NotSupported", message);
  };

/** A query parameter that must be a whole number within bounds, or undefined when absent. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new HeatError(400, "InvalidParameter", `Invalid value "${raw}" for ${name}: it must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

/** A boolean query parameter as Heat reads them (true/false, yes/no, 1/0, on/off). */
export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const v = raw.toLowerCase();
  if (["true", "1", "yes", "y", "on", "t"].includes(v)) return true;
  if (["false", "0", "no", "n", "off", "f", ""].includes(v)) return false;
  throw new HeatError(400, "InvalidParameter", `Unrecognized value "${raw}" for "${name}", acceptable values are: true, false`);
}

/** Values of a query parameter given once or many times (Heat's multi-valued filters). */
export const listParam = (query: URLSearchParams, name: string) => query.getAll(name).flatMap((v) => v.split(",")).filter(Boolean);
