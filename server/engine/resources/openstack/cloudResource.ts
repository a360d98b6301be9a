/**
 * What every OpenStack resource type shares: the mark that finds what Kiln created after a
 * crash, the cloud's failures as resource failures in the cloud's own words, "gone" as
 * deleted, and waiting on the cloud's change watcher rather than polling.
 */
import { CloudFailure, type CloudPort } from "../../ports";
import { done, ResourceFailure, wait, type Outcome, type ResourceContext } from "../plugin";

/**
 * Put on what Kiln creates (Nova tags and metadata, Neutron descriptions, Cinder metadata):
 * the resource's id, so that a create run again after a crash finds the object the cloud made
 * before Kiln could store its id, and makes no second one.
 */
export const markOf = (ctx: { resourceId: string }) => `kiln:${ctx.resourceId}`;
export const MARK_KEY = "kiln_resource_id";

/**
 * A wait also wakes after this long even if the watcher says nothing: a safety net for a
 * wake-up lost with a process that died while the resource waited (the watcher lives in memory).
 * It is not a poll: the watcher wakes the resource as soon as its object moves.
 */
export const SAFETY_WAKE_MS = 60_000;

/** Heat's exception names for the HTTP statuses a cloud answers. */
function kindOf(status: number): string {
  if (status === 400) return "BadRequest";
  if (status === 401) return "Unauthorized";
  if (status === 403) return "Forbidden";
  if (status === 404) return "NotFound";
  if (status === 409) return "Conflict";
  if (status === 413) return "OverLimit";
  if (status === 408) return "Timeout";
  return "ClientException";
}

/** A cloud failure as a resource failure whose reason is the cloud's own message. */
export function asFailure(e: unknown): unknown {
  if (e instanceof CloudFailure) {
    // Nova and Cinder answer quota as 403 or 413 "Quota exceeded for …": their words, kept whole.
    return new ResourceFailure(`${e.message} (HTTP ${e.status})`, kindOf(e.status));
  }
  return e;
}

/** Runs a handler, turning the cloud's failures into resource failures. */
export function cloudHandler(handler: (ctx: ResourceContext, cloud: CloudPort, signal?: unknown) => Promise<Outcome>) {
  return async (ctx: ResourceContext, signal?: unknown): Promise<Outcome> => {
    try {
      const cloud = await ctx.cloud();
      const here = await cloud.scope?.();
      const madeIn = ctx.data[MADE_IN] as string | undefined;
      if (madeIn !== undefined && here !== undefined && madeIn !== here) return elsewhere(ctx, madeIn, here);
      const outcome = await handler(ctx, cloud, signal);
      if (here === undefined || ctx.action === "DELETE") return outcome;
      // Kept with every outcome that stores data (a wait's replaces it; a done's is merged).
      if (outcome.data !== undefined || outcome.state === "done") outcome.data = { ...outcome.data, [MADE_IN]: madeIn ?? here };
      return outcome;
    } catch (e) {
      throw asFailure(e);
    }
  };
}

/** The data key of the cloud (Keystone and OpenStack project) a resource's object was made in. */
const MADE_IN = "madeIn";

/**
 * The project now acts in another cloud than the one its object was made in: the object there
 * is left where it is (a delete counts it as gone), and nothing in the new cloud is touched by
 * its id or name, which may well be another's there (a key or a container is known by name).
 */
function elsewhere(ctx: ResourceContext, madeIn: string, here: string): Outcome {
  if (ctx.action === "DELETE") return done();
  throw new ResourceFailure(`${ctx.physicalId ?? ctx.resourceName} was made in ${madeIn}; the project now acts in ${here}, where Kiln does not touch it`, "NotFound");
}

/** GET that answers undefined when the object is gone. */
export async function fetchOrGone<T>(cloud: CloudPort, service: string, path: string, key: string): Promise<T | undefined> {
  const answer = await cloud.call(service, "GET", path, { expect: [404] });
  if (answer.status === 404) return undefined;
  return (answer.body as Record<string, T>)[key];
}

/** DELETE where an object already gone (404) counts as deleted. */
export async function deleteOrGone(cloud: CloudPort, service: string, path: string): Promise<boolean> {
  const answer = await cloud.call(service, "DELETE", path, { expect: [404] });
  return answer.status !== 404;
}

/** Waits for the watcher to say the object moved (or the safety net); the state it waits in is shown as the resource's cloud state. */
export function watchAndWait(
  ctx: ResourceContext,
  cloud: CloudPort,
  target: { service: string; collection: string; id: string; status: string | null },
  data: Record<string, unknown>,
  physicalId?: string,
): Outcome {
  cloud.watch({ resourceId: ctx.resourceId, ...target });
  return wait({
    data: { ...ctx.data, ...data },
    wakeAfterMs: SAFETY_WAKE_MS,
    ...(target.status !== null ? { cloudState: target.status } : {}),
    ...(physicalId !== undefined ? { physicalId } : {}),
  });
}

/** The id a `get_resource` or a name refers to: ids are taken as they are, names looked up in a list. */
export const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Heat's message for a name or id the cloud does not know. */
export function notFound(entity: string, name: string): ResourceFailure {
  return new ResourceFailure(`The ${entity} (${name}) could not be found.`, "NotFound");
}

/** A Neutron object by id or by name (ambiguous names are refused, as Heat's client plugin does). */
export async function neutronId(cloud: CloudPort, collection: string, entity: string, value: string): Promise<string> {
  if (UUID.test(value)) {
    const found = await fetchOrGone<{ id: string }>(cloud, "network", `/v2.0/${collection}/${value}`, collection.replace(/s$/, "").replace(/-/g, "_"));
    if (found) return found.id;
  }
  const answer = await cloud.call("network", "GET", `/v2.0/${collection}?name=${encodeURIComponent(value)}&fields=id`);
  const list = (answer.body as Record<string, { id: string }[]>)[collection] ?? [];
  if (list.length === 0) throw notFound(entity, value);
  if (list.length > 1) throw new ResourceFailure(`Multiple ${entity} matches found for name '${value}', use an ID to be more specific.`, "PhysicalResourceNameAmbiguity");
  return list[0]!.id;
}
