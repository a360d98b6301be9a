/**
 * The interfaces the engine core needs from the world around it. server/engine imports
 * nothing from outer layers; server/main.ts (or a test) hands it implementations of these.
 */

export interface JobRequest {
  kind: string;
  payload: unknown;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface WorkQueue {
  /** Stores the jobs durably; any consumer may take them. */
  enqueue(jobs: JobRequest[]): Promise<void>;
}

export interface Clock {
  now(): number;
}

export type StackAction = "CREATE" | "UPDATE" | "DELETE" | "ROLLBACK" | "CHECK";
export type ResourceAction = "INIT" | "CREATE" | "UPDATE" | "DELETE" | "ROLLBACK" | "CHECK";
export type Status = "IN_PROGRESS" | "COMPLETE" | "FAILED";

export interface StackRecord {
  id: string;
  projectId: string;
  name: string;
  parentResourceId: string | null;
  rootStackId: string;
  /** Path from the root through parent resource names, e.g. "web_group/0"; empty for a root. */
  stackPath: string;
  action: StackAction;
  status: Status;
  statusReason: string;
  templateId: string | null;
  prevTemplateId: string | null;
  parameters: Record<string, unknown>;
  currentTraversal: string | null;
  disableRollback: boolean;
  timeoutMins: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ResourceRecord {
  id: string;
  stackId: string;
  name: string;
  type: string;
  physicalId: string | null;
  action: ResourceAction;
  status: Status;
  statusReason: string;
  /** The template version this row was last converged to. */
  templateId: string | null;
  /** Names of the resources this one depended on when last converged. */
  requires: string[];
  replaces: string | null;
  replacedBy: string | null;
  /** The traversal holding the lock, or null. */
  lockTraversal: string | null;
  /** The traversal this row was last converged in (so a redelivered job skips the work). */
  convergedTraversal: string | null;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A stack's row without its sealed column (the parameters): readable whatever the server's key. */
export type StackState = Omit<StackRecord, "parameters">;
/** A resource's row without its sealed columns: readable whatever the server's key. */
export type ResourceState = Omit<ResourceRecord, "properties" | "attributes" | "data">;

export interface RawTemplateRecord {
  id: string;
  projectId: string;
  template: string;
  files: Record<string, string>;
  environment: string[];
}

/** One node of a traversal's convergence graph, stored when the traversal starts. */
export interface SyncPointRecord {
  traversal: string;
  node: string;
  stackId: string;
  /** Predecessors still to arrive; the one that brings this to 0 queues the node. */
  remaining: number;
  successors: string[];
}

export interface Arrival {
  predecessor: string;
  payload: unknown;
}

export type NotificationKind = "event" | "warning" | "debug" | "progress";

export interface NotificationInput {
  stackId: string;
  kind: NotificationKind;
  resourceName?: string | null;
  physicalResourceId?: string | null;
  resourceType?: string | null;
  action?: string | null;
  status?: string | null;
  reason?: string;
  traversal?: string | null;
}

export interface Notification extends NotificationInput {
  id: number;
  rootStackId: string;
  stackPath: string;
  createdAt: string;
}

/**
 * A resource's stack's current traversal, read in the same statement as a write to the resource
 * (so a job that has just released its resource knows whether to go on without another read):
 * null when the stack runs none; undefined when the write found no row, or the stack is gone.
 */
export type StackTraversalAfterWrite = string | null | undefined;

/** The job taking a row's lock (StateStore.lockResource): its queue id, and whether it takes over. */
export interface LockRunner {
  id: string;
  takeover?: boolean;
}

/**
 * Durable state. Methods are the few, batched statements the engine's hot path needs; each
 * is atomic on its own.
 */
export interface StateStore {
  saveTemplate(t: RawTemplateRecord): Promise<void>;
  getTemplate(id: string): Promise<RawTemplateRecord | undefined>;

  /** Throws DuplicateStackName when the name is taken in the project. */
  createStack(s: StackRecord): Promise<void>;
  getStack(id: string): Promise<StackRecord | undefined>;
  findStackByName(projectId: string, name: string): Promise<StackRecord | undefined>;
  listStacks(projectId: string): Promise<StackRecord[]>;
  /** Child stacks whose parent resource is one of these. */
  childStacks(parentResourceIds: string[]): Promise<StackRecord[]>;
  /** Applies the patch; when `ifTraversal` is given, only if the stack's current traversal is still that one. */
  updateStack(id: string, patch: Partial<StackRecord>, ifTraversal?: string | null): Promise<boolean>;
  deleteStack(id: string): Promise<void>;

  /**
   * A stack's row and one resource name's rows without their sealed columns, which this server
   * may be unable to open (StoredDataUnreadable): how such a stack is still failed visibly.
   */
  getStackState(id: string): Promise<StackState | undefined>;
  findResourceStates(stackId: string, name: string): Promise<ResourceState[]>;
  getResourceState(id: string): Promise<ResourceState | undefined>;

  listResources(stackId: string): Promise<ResourceRecord[]>;
  /** The id and name of each of a stack's rows, replaced copies included: a read of no sealed column. */
  listResourceIds(stackId: string): Promise<{ id: string; name: string }[]>;
  /** Resource rows in every stack of a tree (the root and all its nested stacks), replaced copies included. */
  countTreeResources(rootStackId: string): Promise<number>;
  /** The rows of one resource name in a stack: the current one and any replaced copies. */
  findResources(stackId: string, name: string): Promise<ResourceRecord[]>;
  /** As findResources, for several names at once (one read for a batch of nodes), in the same order within each name. */
  findResourcesNamed(stackId: string, names: readonly string[]): Promise<ResourceRecord[]>;
  getResource(id: string): Promise<ResourceRecord | undefined>;
  createResources(rows: ResourceRecord[]): Promise<void>;
  updateResource(id: string, patch: Partial<ResourceRecord>): Promise<void>;
  deleteResource(id: string): Promise<StackTraversalAfterWrite>;
  /**
   * Compare-and-set: takes the lock for `traversal` when it is free or already held by that
   * traversal; answers the row as locked, or undefined with the holder when someone else holds it.
   * `runner` (the job taking it: the same across the job's redeliveries) makes the lock exclusive
   * within the traversal too: while one job holds it, another job of the same traversal is
   * refused (`heldBy` is then the traversal itself), unless it takes over (`takeover`: nothing
   * else can be running, as when a stalled traversal is driven on). Without `runner`, any job of
   * the traversal may take it.
   *
   * `start`, for a resource not created yet (action INIT, not replaced): the state its create
   * begins with, applied in the same statement as the lock, so a create costs no write of its
   * own before the action. `started` says it was; a row that moved on meanwhile is only locked.
   */
  lockResource(
    id: string,
    traversal: string,
    runner?: LockRunner,
    start?: Partial<ResourceRecord>,
  ): Promise<{ resource?: ResourceRecord; heldBy?: string; started?: boolean }>;
  /**
   * Applies the patch while `traversal` holds the row's lock, keeping it held; false, and nothing
   * changed, when it does not (released meanwhile: the stack timed out, the queue gave up).
   */
  updateHeldResource(id: string, traversal: string, patch: Partial<ResourceRecord>): Promise<boolean>;
  /**
   * Names on the row the cloud object an action made after the row was released from it (the
   * stack timed out, the queue gave up): only while no action holds the row and it still names
   * `expected`; false, and nothing changed, otherwise.
   */
  recordMadeObject(id: string, expected: string | null, physicalId: string): Promise<boolean>;
  /** Releases the lock held by `traversal`, applying the patch in the same statement. */
  unlockResource(id: string, traversal: string, patch: Partial<ResourceRecord>): Promise<StackTraversalAfterWrite>;
  /**
   * A whole create in one statement, for a type whose create acts on nothing outside this store
   * (ResourcePlugin.actsInStoreOnly): where lockResource would take the lock and apply `start`,
   * applies `created` (the row as its create left it) and leaves the lock free. `written` is
   * false, and nothing changed, when the row is held (as lockResource would refuse it), has
   * moved on from INIT, or is gone; `stackTraversal` is then undefined.
   */
  createAtOnce(
    id: string,
    traversal: string,
    runner: LockRunner | undefined,
    created: Partial<ResourceRecord>,
  ): Promise<{ written: boolean; stackTraversal: StackTraversalAfterWrite }>;
  /**
   * A whole delete in one statement, of a type whose delete acts on nothing outside this store:
   * the row is deleted unless it is held (as lockResource would refuse it). `deleted` says whether
   * it was; `stackTraversal` is then the stack's current traversal, as deleteResource answers it.
   */
  deleteAtOnce(id: string, traversal: string, runner: LockRunner | undefined): Promise<{ deleted: boolean; stackTraversal: StackTraversalAfterWrite }>;

  /** Stores a traversal's graph: one row per node. */
  createSyncPoints(points: SyncPointRecord[]): Promise<void>;
  getSyncPoint(traversal: string, node: string): Promise<SyncPointRecord | undefined>;
  /** A traversal's whole graph: every node's sync point. */
  getSyncPoints(traversal: string): Promise<SyncPointRecord[]>;
  /**
   * Records a predecessor's arrival (once: a repeated arrival is ignored) and answers true to
   * exactly one caller: the one whose arrival completed the node.
   */
  arrive(traversal: string, node: string, predecessor: string, payload: unknown): Promise<boolean>;
  arrivals(traversal: string, node: string): Promise<Arrival[]>;
  /** A traversal's whole state, for the reconciler: its nodes, and which predecessor arrived where. */
  traversalState(traversal: string): Promise<{ points: SyncPointRecord[]; arrived: { node: string; predecessor: string }[] }>;
  /** Drops the sync state of every traversal of the stack (it is being deleted). */
  purgeTraversals(stackId: string): Promise<void>;
  /** Drops the sync state of one traversal that ended (completed or failed). */
  purgeTraversal(traversal: string): Promise<void>;
  /**
   * Drops the sync state of the stack's traversals other than `keep` and the one current when
   * it runs (on PostgreSQL, once any write making another one current has committed). It may drop
   * the graph of an operation stored and not yet current: that one stores it again once current.
   */
  sweepTraversals(stackId: string, keep: string): Promise<void>;
}

/** Persists notifications (assigning their ids) and then publishes them. */
export interface Notifier {
  notify(items: NotificationInput[]): Promise<void>;
}

/** Heat's software_config row: immutable once stored. */
export interface SoftwareConfigRecord {
  id: string;
  projectId: string;
  name: string;
  group: string;
  /** Heat's stored shape: the config itself and its declared inputs, outputs and options. */
  config: { config: unknown; inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[]; options: unknown };
  createdAt: string;
}

/** Heat's software_deployment row, plus where it comes from and its signal URL's token. */
export interface SoftwareDeploymentRecord {
  id: string;
  projectId: string;
  serverId: string;
  /** The config derived for the action last run (a new one each time). */
  configId: string;
  inputValues: Record<string, unknown>;
  outputValues: Record<string, unknown>;
  action: string;
  status: Status;
  statusReason: string;
  stackId: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  signalToken: string;
  createdAt: string;
  updatedAt: string;
}

/** When a server's deployment metadata last changed, and a counter that moves with it. */
export interface ServerMetadataStamp {
  serverId: string;
  modifiedAt: number;
  version: number;
}

/** Heat's software config and deployment tables, and the per-server metadata stamp. */
export interface SoftwareStore {
  createConfig(c: SoftwareConfigRecord): Promise<void>;
  getConfig(id: string): Promise<SoftwareConfigRecord | undefined>;
  deleteConfig(id: string): Promise<void>;

  /** Inserts, or replaces the row with this id (a redelivered action writes the same row again). */
  putDeployment(d: SoftwareDeploymentRecord): Promise<void>;
  getDeployment(id: string): Promise<SoftwareDeploymentRecord | undefined>;
  /** Applies the patch; when `ifStatus` is given, only if the row still has that status (answers whether it did). */
  updateDeployment(id: string, patch: Partial<SoftwareDeploymentRecord>, ifStatus?: Status): Promise<boolean>;
  deleteDeployment(id: string): Promise<void>;
  /** A server's deployments, oldest first. */
  serverDeployments(serverId: string): Promise<SoftwareDeploymentRecord[]>;

  /**
   * Marks the server's metadata changed at `now`: the stamp moves to a later whole second than
   * before (never back, never the same second twice) and its version up by one.
   */
  touchServer(serverId: string, projectId: string, now: number): Promise<ServerMetadataStamp>;
  serverStamp(serverId: string): Promise<ServerMetadataStamp | undefined>;
  /** The current row of a server deployments run on (see software/softwareServers.ts), by its physical id or its resource id. */
  serverResource(serverId: string): Promise<ResourceRecord | undefined>;
}

/** Told whenever what a server's metadata holds changes (agents connected to it are pushed the change). */
export interface ServerMetadataEvents {
  changed(serverId: string): void | Promise<void>;
}

/**
 * A cloud's answer: its status, the JSON body (or undefined when it sent none) and the headers
 * a resource needs (a server's Location, a Swift container's metadata).
 */
export interface CloudAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface CloudCall {
  /** A JSON body; sent as is when it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that are answers rather than failures (404 for a delete, say). */
  expect?: readonly number[];
}

/**
 * What the engine watches in a cloud: one object of one service. The watcher wakes the
 * resource once the object's status is no longer `status` (or the object is gone).
 */
export interface CloudWatch {
  resourceId: string;
  /** "compute" servers, "network" ports/floatingips/routers, "volumev3" volumes. */
  service: string;
  collection: string;
  id: string;
  /** The status it had when last seen; null when it was not seen yet. */
  status: string | null;
}

/**
 * An OpenStack project Kiln acts in with credentials it holds (server/clouds): resource
 * plugins call its services by catalog type, never HTTP themselves. Transient failures are
 * retried inside; what is left is the answer, or a CloudFailure with the cloud's own message.
 */
export interface CloudPort {
  /** The region and project this cloud acts in, for messages. */
  readonly label: string;
  call(service: string, method: string, path: string, options?: CloudCall): Promise<CloudAnswer>;
  /** A service's endpoint URL in the catalog (for attributes such as a container's URL). */
  endpoint(service: string): Promise<string>;
  /** Wakes the resource (a resume job) when the watched object moves; one watcher per cloud lists changes for all. */
  watch(target: CloudWatch): void;
  /** Which Keystone and OpenStack project this cloud acts in: what a resource made in one is not its to change in another. */
  scope?(): Promise<string>;
}

/** A call the cloud refused or failed: its HTTP status and its own message. */
export class CloudFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
