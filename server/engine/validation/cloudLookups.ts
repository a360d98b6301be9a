/**
 * What Heat decides before it touches anything: a flavor, an image, a network… named in a
 * template must exist in the cloud. Validation collects the values (pure, no I/O); this asks
 * the cloud about each distinct one once, all within one time limit.
 */
import { error, type Diagnostic } from "../diagnostics";
import { CloudFailure, type CloudPort } from "../ports";
import { cloudConstraints } from "../resources/openstack/cloudConstraints";
import { ResourceFailure } from "../resources/plugin";
import type { CustomConstraintCheck } from "../resources/validateProperties";

/** A value given to a property whose custom constraint only the cloud can check, and where it was given. */
export interface CloudLookup {
  constraint: string;
  value: string;
  path: string;
  line?: number;
  column?: number;
}

/** Checks that accept every value of a cloud constraint and note it for `checkCloudLookups`. */
export function collectCloudLookups(into: CloudLookup[]): Record<string, CustomConstraintCheck> {
  const note = (constraint: string): CustomConstraintCheck => (value, path) => {
    if (typeof value === "string" && value !== "") into.push({ constraint, value, path });
    return undefined;
  };
  return Object.fromEntries(Object.keys(cloudConstraints).map((name) => [name, note(name)]));
}

/** The most one validation waits for the cloud, all lookups together. */
export const CLOUD_LOOKUP_TIMEOUT_MS = 10_000;
/** Lookups in flight at once, so a template naming many objects does not flood the cloud. */
const CONCURRENT = 6;
/**
 * Distinct values one operation may have looked up: each is a request to the cloud, and a list
 * property (a server's `networks`, `block_device_mapping_v2`) can name any number of them.
 */
export const MAX_CLOUD_LOOKUPS = 200;

/**
 * One error per value the cloud does not have (or cannot be asked about), at the path where
 * it was given. A value named several times is looked up once. Over MAX_CLOUD_LOOKUPS distinct
 * values, nothing is asked: one error, at the first value over the limit.
 */
export async function checkCloudLookups(lookups: readonly CloudLookup[], cloud: CloudPort, timeoutMs = CLOUD_LOOKUP_TIMEOUT_MS): Promise<Diagnostic[]> {
  const keyOf = (l: CloudLookup) => `${l.constraint}\0${l.value}`;
  const distinct = [...new Map(lookups.map((l) => [keyOf(l), l])).values()];
  const over = distinct[MAX_CLOUD_LOOKUPS];
  if (over) {
    const message = `The template names ${distinct.length} distinct values (flavors, images, networks…) for the cloud to look up; one operation may look up at most ${MAX_CLOUD_LOOKUPS}`;
    return [{ ...error(over.path, message), ...(over.line ? { line: over.line, column: over.column } : {}) }];
  }
  const problems = new Map<string, string | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
  let next = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const l = distinct[next++]!;
      problems.set(keyOf(l), await lookUp(l, cloud));
    }
  };
  const finished = await Promise.race([Promise.all(Array.from({ length: Math.min(CONCURRENT, distinct.length) }, worker)), late]);
  clearTimeout(timer);
  const unanswered = `the cloud (${cloud.label}) did not answer within ${timeoutMs / 1000} s`;
  const found: Diagnostic[] = [];
  for (const l of lookups) {
    const key = keyOf(l);
    const problem = problems.has(key) ? problems.get(key) : finished === "late" ? unanswered : undefined;
    if (problem === undefined) continue;
    found.push({ ...error(l.path, `Error validating value '${l.value}': ${problem}`), ...(l.line ? { line: l.line, column: l.column } : {}) });
  }
  return found;
}

async function lookUp(l: CloudLookup, cloud: CloudPort): Promise<string | undefined> {
  try {
    await cloudConstraints[l.constraint]!(cloud, l.value);
    return undefined;
  } catch (e) {
    if (e instanceof CloudFailure) return `${e.message} (HTTP ${e.status})`;
    if (e instanceof ResourceFailure) return e.message;
    throw e;
  }
}
