/**
 * What a resource type does: the behaviour the convergence engine calls, beside the schema
 * that validation reads. Handlers must be idempotent per resource id — a job can be delivered
 * again after a crash — so anything generated once (a random string, a token) is kept in
 * `data` and reused.
 *
 * A handler either finishes (`done`) or waits: it answers `wait` and the engine wakes the
 * resource later with `resume`, after `wakeAfterMs` or when something signals it (a nested
 * stack completing, a wait-condition signal). Nothing polls.
 */
import type { CloudPort, SoftwareConfigRecord, SoftwareStore } from "../ports";
import type { ResourceTypeSchema } from "./schema";

export type ActionName = "CREATE" | "UPDATE" | "DELETE" | "CHECK";

export interface NestedStackRequest {
  template: string;
  files: Record<string, string>;
  /** The files the nested stack has now are kept under these (a rolling update's members still on the old template name them). */
  keepFiles?: boolean;
  parameters: Record<string, unknown>;
  environment?: string[];
  /**
   * Minutes the nested stack's operations may take (null: the engine's default); without it, its
   * parent's timeout_mins, as Heat's nested stacks take.
   */
  timeoutMins?: number | null;
}

/** What shapes the environment a resource's nested stack inherits (ResourceContext.inheritedEnvironment). */
export interface InheritanceRequest {
  /**
   * The whole registry, not narrowed to this resource's part: a stack given as text
   * (OS::Heat::Stack) is no resource of the parent's, in Heat's child environment.
   */
  whole?: boolean;
}

export interface NestedStackStatus {
  id: string;
  action: string;
  status: string;
  statusReason: string;
  outputs: Record<string, { value?: unknown; error?: string }>;
  /** The nested stack's resources by name: physical id, what get_resource gives, stored attributes. */
  resources: Record<string, { physicalId: string | null; reference: string | null; attributes: Record<string, unknown> }>;
}

/** Operations on the resource's own nested stack; each child completion wakes this resource. */
export interface NestedStacks {
  /**
   * Throws a ResourceFailure when a nested stack of this many resources would take the whole
   * tree over its limit; a plugin that builds its template from user input asks before building.
   */
  admit(resources: number): Promise<void>;
  /** Creates or updates the nested stack to this template (idempotent per resource; admitted first). */
  converge(request: NestedStackRequest): Promise<{ stackId: string }>;
  /**
   * Updates the existing nested stack to another template, with the files and environment it
   * has now: a group's next batch, run when it wakes, which is not given them again.
   */
  retemplate(template: string, timeoutMins?: number | null): Promise<{ stackId: string }>;
  /** Starts a check of the nested stack (each of its resources); answers false when there is none. */
  check(): Promise<boolean>;
  /** Starts deleting the nested stack; answers false when there is none (nothing to wait for). */
  delete(): Promise<boolean>;
  status(): Promise<NestedStackStatus | undefined>;
  /** Whether the nested stack is gone or not converging (reads its stack row only). */
  settled(): Promise<boolean>;
}

/** Software configs and deployments, for the software-config resource types. */
export interface SoftwareContext {
  store: SoftwareStore;
  /** A software config of this stack's project; another project's is not found, as in Heat. */
  config(id: string): Promise<SoftwareConfigRecord | undefined>;
  /** To call after changing what a server's metadata holds: moves its stamp and pushes the change to its agent. */
  changed(serverId: string, projectId: string): Promise<void>;
}

export interface ResourceContext {
  /** The action being run, for handlers shared between actions. */
  action: ActionName;
  stackId: string;
  stackName: string;
  projectId: string;
  resourceId: string;
  resourceName: string;
  physicalId: string | null;
  /** New (CREATE/UPDATE) or current properties, validated, defaults filled in. */
  properties: Record<string, unknown>;
  /** The properties last applied (UPDATE). */
  previousProperties: Record<string, unknown>;
  metadata: unknown;
  /** Its update_policy, checked against the type's, defaults filled in (CREATE/UPDATE; empty otherwise). */
  updatePolicy: Record<string, unknown>;
  /** The minutes the stack's operation may take (its timeout_mins, or the engine's default). */
  timeoutMins: number;
  /** The files sent with the stack (provider templates, get_file), for nested stacks to use. */
  files: Record<string, string>;
  /**
   * The environment a nested stack it builds inherits of the stack's (its resource_registry and
   * parameter_defaults, as Heat's child environment), as a document to merge before the nested
   * stack's own; undefined when there is nothing to inherit.
   */
  inheritedEnvironment?: (request?: InheritanceRequest) => string | undefined;
  /** The plugin's private data, as last stored. */
  data: Record<string, unknown>;
  now: number;
  nested: NestedStacks;
  /** The project's OpenStack cloud as it is now; fails with a ResourceFailure saying so when none is configured. */
  cloud(): Promise<CloudPort>;
  /** Base URL at which this server answers, for attributes such as a signal URL. */
  publicUrl: string;
  software: SoftwareContext;
  /** Heat's physical resource name: `<stack>-<resource>-<short id>`. */
  physicalName(): string;
  /** Another resource of the same stack, by the id get_resource gives for it (a wait condition reads its handle). */
  peer(reference: string): Promise<{ name: string; type: string; attributes: Record<string, unknown>; data: Record<string, unknown> } | undefined>;
}

export type Outcome =
  | {
      state: "done";
      physicalId?: string | null;
      /** What get_resource answers, when it is not the physical id (RandomString: its value). */
      reference?: string;
      attributes?: Record<string, unknown>;
      data?: Record<string, unknown>;
      /** What the cloud says of the resource's object now (Nova's ACTIVE, Cinder's in-use). */
      cloudState?: string;
      /** A check's finding: where the cloud object differs from what Kiln last applied (none: it matches). */
      drift?: Drift[];
    }
  | {
      state: "wait";
      /** What the cloud says of the object waited on (BUILD, RESIZE, creating, attaching…). */
      cloudState?: string;
      /** Wake after this long even if nothing signals (a timeout, a simulated delay). */
      wakeAfterMs?: number;
      /**
       * For a wait on something that wakes the resource when it finishes (a nested stack), but
       * finds no wait to wake when it finishes first: asked once the wait is stored, and the
       * resource is woken at once when it answers true. Cheaper than waking at once to look.
       */
      finishedBeforeWaiting?: () => Promise<boolean>;
      data?: Record<string, unknown>;
      physicalId?: string | null;
      attributes?: Record<string, unknown>;
    };

/**
 * One way a cloud object differs from what Kiln last applied: a property whose value in the
 * cloud is not the one applied (`cloud` in the property's own shape, so an update can tell the
 * change and apply it again), or, with no property, the object is gone.
 */
export interface Drift {
  property: string | null;
  applied?: unknown;
  cloud?: unknown;
}

/**
 * A failure the user can act on. The status reason reads as Heat's does:
 * `<kind>: resources.<name>: <message>`, e.g. `ValueError: resources.web: Test Resource failed web`.
 */
export class ResourceFailure extends Error {
  constructor(
    message: string,
    readonly kind = "Error",
    /** What the resource still is, for get_attr on it (a failed group answers for the members it has). */
    readonly left?: { physicalId: string | null; attributes: Record<string, unknown>; reference?: string },
  ) {
    super(message);
  }
}

export interface ResourcePlugin extends ResourceTypeSchema {
  create(ctx: ResourceContext): Promise<Outcome> | Outcome;
  /** Updates in place; plugins without it are always replaced when their properties change. */
  update?(ctx: ResourceContext): Promise<Outcome> | Outcome;
  delete(ctx: ResourceContext): Promise<Outcome> | Outcome;
  /** Verifies the resource still exists as recorded (stack check). Without it, a check says the type does not support checking, as Heat's does. */
  check?(ctx: ResourceContext): Promise<Outcome> | Outcome;
  /** Called when a waiting resource is woken; what woke it (a signal, a deployment's result) is in the store by then. */
  resume?(ctx: ResourceContext): Promise<Outcome> | Outcome;
  /** Its wait was cut short (the stack timed out, or its operation was cancelled): the resource has already failed; release what the wait holds elsewhere. */
  abandon?(ctx: ResourceContext): Promise<void> | void;
  /**
   * A changed definition is taken as it is, with no update action and no event (Heat's
   * OS::Heat::None: there is nothing to update). A change of type still replaces it.
   */
  takesChangesSilently?: boolean;
  /**
   * Its create and delete act on nothing outside Kiln's store and do not wait (OS::Heat::None,
   * Value, RandomString): either may run before anything is stored, the resource then being
   * locked, changed (or deleted) and released in one write. One run again is harmless.
   */
  actsInStoreOnly?: boolean;
  /** Decides between an in-place update and a replacement (`data`: the plugin's, as last stored). Default: see `needsReplacement`. */
  needsReplacement?(oldProps: Record<string, unknown>, newProps: Record<string, unknown>, data: Record<string, unknown>): boolean;
  /** Backed by a nested stack whose id is its physical id (see `alwaysUpdatedInPlace`). */
  nestedStack?: boolean;
  /**
   * Keys of its stored data that hold a credential (a signal token): its value is masked, in
   * attributes, properties and outputs alike, for callers who may only read the stack.
   */
  credentials?: readonly string[];
}

export const done = (o: Omit<Extract<Outcome, { state: "done" }>, "state"> = {}): Outcome => ({ state: "done", ...o });
export const wait = (o: Omit<Extract<Outcome, { state: "wait" }>, "state"> = {}): Outcome => ({ state: "wait", ...o });

/**
 * Whether every update converges the resource in place, even when its properties are unchanged
 * or it failed (where others are left alone, or replaced): Heat's rule for a resource backed by a
 * nested stack that exists (it has the nested stack's id). The nested stack's own resources then
 * decide what changes, so a changed provider template applies, what failed inside is retried and
 * what is healthy stays. One that failed before its nested stack existed is replaced, like any
 * other failed resource, and so is one whose check failed: the only fault a check finds here is
 * a nested stack that is gone (Heat replaces a nested stack marked unhealthy too).
 */
export function alwaysUpdatedInPlace(plugin: ResourcePlugin, row: { physicalId: string | null; action: string; status: string }): boolean {
  return plugin.nestedStack === true && row.physicalId !== null && !(row.action === "CHECK" && row.status === "FAILED");
}

/** Replaced when a changed property may not be updated in place, or the plugin cannot update. */
export function needsReplacement(
  plugin: ResourcePlugin,
  oldProps: Record<string, unknown>,
  newProps: Record<string, unknown>,
  data: Record<string, unknown> = {},
): boolean {
  if (plugin.needsReplacement) return plugin.needsReplacement(oldProps, newProps, data);
  return refusedInPlace(plugin, oldProps, newProps);
}

/** Whether a changed property may not be updated in place, or the plugin cannot update at all. */
export function refusedInPlace(plugin: ResourcePlugin, oldProps: Record<string, unknown>, newProps: Record<string, unknown>): boolean {
  const changed = changedProperties(oldProps, newProps);
  if (changed.length === 0) return false;
  if (!plugin.update) return true;
  return changed.some((name) => !plugin.properties[name]?.updateAllowed);
}

export function changedProperties(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => !sameValue(a[n], b[n])).sort();
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
