import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { waitConditionHandle } from "../waitConditionHandle";
import { done, type ResourceContext, type ResourcePlugin } from "../plugin";
import { InvalidSignal } from "../../errors";

/** A signal as Heat's handles accept it. */
export interface WaitSignal {
  status: "SUCCESS" | "FAILURE";
  reason: string;
  data: unknown;
  id: string;
}

export const signalPath = (resourceId: string) => `/api/signal/${resourceId}`;

/**
 * Whether a signal's token is the handle's, compared in constant time so the answer's timing
 * tells nothing about how much of a guess was right (hashed first: equal lengths, whatever was sent).
 */
export function tokenMatches(given: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function attributes(ctx: ResourceContext, token: string) {
  const endpoint = `${ctx.publicUrl}${signalPath(ctx.resourceId)}`;
  return {
    token,
    endpoint,
    curl_cli: `curl -i -X POST -H 'X-Auth-Token: ${token}' -H 'Content-Type: application/json' -H 'Accept: application/json' ${endpoint}`,
    signal: { url: endpoint, token },
  };
}

/**
 * OS::Heat::WaitConditionHandle: a per-handle secret token and an endpoint of this server;
 * signals sent there are kept on the handle and wake the wait conditions that read it.
 */
export const waitConditionHandlePlugin: ResourcePlugin = {
  ...waitConditionHandle,
  create(ctx) {
    const token = (ctx.data.token as string | undefined) ?? randomBytes(24).toString("hex");
    return done({ physicalId: ctx.physicalId ?? ctx.physicalName(), attributes: attributes(ctx, token), data: { token, signals: ctx.data.signals ?? [] } });
  },
  update: (ctx) => done({ attributes: attributes(ctx, String(ctx.data.token)) }),
  delete: () => done(),
  needsReplacement: () => false,
  credentials: ["token"],
};

/** Normalises a signal body the way Heat does: status defaults to SUCCESS, ids count from 1. */
export function normaliseSignal(body: unknown, existing: number): WaitSignal {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const status = String(b.status ?? "SUCCESS").toUpperCase();
  if (status !== "SUCCESS" && status !== "FAILURE") {
    throw new InvalidSignal(`Invalid status "${String(b.status)}": a signal's status is SUCCESS or FAILURE`);
  }
  return {
    status,
    reason: b.reason === undefined ? "Signal " + (existing + 1) + " received" : String(b.reason),
    data: b.data ?? null,
    id: b.id === undefined ? String(existing + 1) : String(b.id),
  };
}
