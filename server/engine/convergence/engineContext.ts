/**
 * Everything the convergence functions share: the ports, the plugins, and a per-process cache
 * of parsed template versions (a template version never changes, so a job parses it at most
 * once per process rather than once per job).
 */
import { DEFAULT_LIMITS, type EngineLimits } from "../limits";
import { Slots } from "../pace";
import type { Clock, CloudPort, JobRequest, Notifier, RawTemplateRecord, ResourceRecord, ServerMetadataEvents, SoftwareStore, StackRecord, StateStore, WorkQueue } from "../ports";
import { secretSet } from "../template/hiddenValues";
import type { ResourcePlugin } from "../resources/plugin";
import { providerPlugin } from "../resources/plugins/providerTemplate";
import { EMPTY_DEFINITION, type ResourceDefinition, type StackDefinition } from "./definition";
import { checkJobs, PROVIDER_KEY } from "./jobs";
import { parseNode } from "./nodes";

/** What a template may ask about its stack (OS::stack_name, OS::stack_id, OS::project_id). */
export interface StackIdentity {
  id: string;
  name: string;
  projectId: string;
  /** Set for a nested stack: its environment is what it inherits (and its parameters), built here from its parent's. */
  parentResourceId?: string | null;
}

export interface EngineDeps {
  store: StateStore;
  queue: WorkQueue;
  notifier: Notifier;
  clock: Clock;
  plugins: ReadonlyMap<string, ResourcePlugin>;
  /**
   * Parses a stored template version for a stack; throws TemplateInvalid when it does not load.
   * `submitted`: the user's submission (a stack's create, update or its preview), whose nested
   * templates are checked too, before anything is stored.
   */
  loadDefinition(template: RawTemplateRecord, stack: StackIdentity, submitted?: boolean): StackDefinition;
  newId(): string;
  /** Base URL of this server, for signal URLs handed to resources (known once it listens). */
  publicUrl(): string;
  /** Heat's defaults when not given. */
  limits?: EngineLimits;
  /** Software configs and deployments (Heat's tables). */
  software: SoftwareStore;
  /** Told when a server's deployment metadata changes; nothing is told when absent. */
  serverMetadata?: ServerMetadataEvents;
  /** The OpenStack cloud a stack acts in now, when one is configured. */
  cloud?: (stack: { projectId: string; rootStackId: string }) => Promise<CloudPort | undefined>;
  /** Told when a root stack's delete completes, its resources gone, just before its row is deleted. */
  rootStackDeleted?: (stackId: string) => Promise<void>;
}

/** Resources of the parsed template versions kept in memory, across all of them. */
const MAX_KEPT_RESOURCES = 50_000;
/** See EngineContext.batchedNodes. */
const BATCHED_NODES_AT_ONCE = 32;
/** Nodes of the traversal graphs kept in memory, across all of them (a few hundred bytes each). */
const MAX_KEPT_NODES = 200_000;
/**
 * Blank rows kept as hints (about half a kilobyte each). A `web` process starts traversals whose
 * nodes it never runs: its hints are only ever forgotten, the oldest traversal's first.
 */
const MAX_BLANK_ROWS = 20_000;

export class EngineContext {
  private readonly definitions = new RecentlyUsed<StackDefinition>();
  private keptResources = 0;
  /**
   * Per traversal, each node's successors: a sync point's successors never change, so
   * propagating reads them here instead of from the store. Kept when this process starts the
   * traversal, or read whole the first time one of its nodes propagates here.
   */
  private readonly graphs = new RecentlyUsed<Map<string, readonly string[]>>();
  private keptNodes = 0;
  /**
   * Per traversal this process started, the blank rows it stored for resources new to the stack,
   * by name, each until its node first runs here (takeBlankRow): that node need not read back a
   * row it knows. Forgotten with the graph. Only ever a hint: every write a node makes on its
   * row is guarded by the row's state, so a row changed since (a node run before, a takeover)
   * fails that guard, and the node goes on from the row as it reads it then.
   */
  private readonly blankRows = new Map<string, Map<string, ResourceRecord>>();
  private keptBlankRows = 0;
  /**
   * Nodes of batches converging at once in this process (see runCheckBatch). Unbounded, every
   * consumer's batch ran its 16 nodes at once; a turn of the event loop then carried hundreds
   * of writes, and a notification took 35–75 ms from being stored to reaching a socket client
   * at the median (3–7 ms so bounded) for no measurable gain in throughput.
   */
  readonly batchedNodes = new Slots(BATCHED_NODES_AT_ONCE);
  /**
   * What is being read now, shared: the nodes of a batch, and the jobs running beside them, ask
   * for the same template and graph at once in a process that has neither yet (a worker
   * process, say, that did not start the traversal); each is read and parsed once.
   */
  private readonly loadingDefinitions = new Map<string, Promise<StackDefinition>>();
  private readonly loadingGraphs = new Map<string, Promise<Map<string, readonly string[]> | undefined>>();
  /**
   * Per root stack, the nested stack being admitted and built now: sibling nested stacks take
   * turns from admission to stored rows, so each counts the rows of the others. In this
   * process only; other processes can still race (see nestedStacks.ts).
   */
  private readonly admissions = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier admission into the same tree has finished. */
  async admitting<T>(rootStackId: string, work: () => Promise<T>): Promise<T> {
    const earlier = this.admissions.get(rootStackId) ?? Promise.resolve();
    let done!: () => void;
    const mine = earlier.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.admissions.set(rootStackId, mine);
    await earlier;
    try {
      return await work();
    } finally {
      done();
      if (this.admissions.get(rootStackId) === mine) this.admissions.delete(rootStackId);
    }
  }

  constructor(readonly deps: EngineDeps) {}

  get store() {
    return this.deps.store;
  }

  get limits(): EngineLimits {
    return this.deps.limits ?? DEFAULT_LIMITS;
  }

  /** The minutes an operation on `stack` may take: its own timeout_mins, or the engine's default (Heat's stack_action_timeout). */
  timeoutMinsOf(stack: Pick<StackRecord, "timeoutMins">): number {
    return stack.timeoutMins ?? this.limits.stackTimeoutMins;
  }

  /** A template version belongs to one stack, so the version id alone keys the cache. */
  async definition(templateId: string | null, stack: StackIdentity): Promise<StackDefinition> {
    if (!templateId) return EMPTY_DEFINITION;
    const cached = this.definitions.use(templateId);
    if (cached) return cached;
    return shared(this.loadingDefinitions, templateId, async () => {
      const raw = await this.deps.store.getTemplate(templateId);
      if (!raw) throw new Error(`template ${templateId} is missing from the store`);
      return this.keepDefinition(templateId, this.deps.loadDefinition(raw, stack));
    });
  }

  /** Keeps a version's definition just loaded (when it was stored), so the traversal that follows does not parse it again. */
  keepDefinition(templateId: string, def: StackDefinition): StackDefinition {
    const replaced = this.definitions.get(templateId);
    if (replaced) this.keptResources -= replaced.resources.size;
    this.definitions.delete(templateId);
    this.definitions.set(templateId, def);
    this.keptResources += def.resources.size;
    // Bounded by the resources held rather than by versions: a tree's many small nested
    // stacks all stay (each would be parsed again per job otherwise), a few huge ones do not.
    while (this.keptResources > MAX_KEPT_RESOURCES && this.definitions.size > 1) {
      const [oldest, forgotten] = this.definitions.entries().next().value!;
      this.definitions.delete(oldest);
      this.keptResources -= forgotten.resources.size;
    }
    return def;
  }

  /** Remembers a traversal's graph as it is stored; the oldest is forgotten past a bound, and read from the store again. */
  keepGraph(traversal: string, points: readonly { node: string; successors: readonly string[] }[], blank: readonly ResourceRecord[] = []) {
    this.forgetGraph(traversal);
    this.graphs.set(traversal, new Map(points.map((p) => [p.node, p.successors])));
    if (blank.length && blank.length <= MAX_BLANK_ROWS) {
      this.blankRows.set(traversal, new Map(blank.map((r) => [r.name, r])));
      this.keptBlankRows += blank.length;
      for (const [oldest, rows] of this.blankRows) {
        if (this.keptBlankRows <= MAX_BLANK_ROWS) break;
        this.blankRows.delete(oldest);
        this.keptBlankRows -= rows.size;
      }
    }
    this.keptNodes += points.length;
    // Bounded by the nodes held, as definitions are by resources: a worker keeps the graphs of
    // traversals others started and finish, whose end it is never told of.
    while ((this.keptNodes > MAX_KEPT_NODES || this.graphs.size > 1024) && this.graphs.size > 1) {
      this.forgetGraph(this.graphs.keys().next().value!);
    }
  }

  forgetGraph(traversal: string) {
    const graph = this.graphs.get(traversal);
    if (!graph) return;
    this.keptNodes -= graph.size;
    this.graphs.delete(traversal);
    this.keptBlankRows -= this.blankRows.get(traversal)?.size ?? 0;
    this.blankRows.delete(traversal);
  }

  /** The blank row this process stored for `name` when it started `traversal`, once (see blankRows). */
  takeBlankRow(traversal: string, name: string): ResourceRecord | undefined {
    const rows = this.blankRows.get(traversal);
    const row = rows?.get(name);
    if (row) {
      rows!.delete(name);
      this.keptBlankRows--;
    }
    return row;
  }

  /** A node's successors; undefined when its sync point is gone (its traversal was purged). */
  async successors(traversal: string, node: string): Promise<readonly string[] | undefined> {
    const kept = this.graphs.use(traversal);
    if (kept) return kept.get(node);
    const read = await shared(this.loadingGraphs, traversal, async () => {
      const points = await this.deps.store.getSyncPoints(traversal);
      // None: the traversal was purged (and nothing of it propagates any more).
      if (!points.length) return undefined;
      this.keepGraph(traversal, points);
      return this.graphs.get(traversal);
    });
    return read?.get(node);
  }

  /**
   * The texts to mask in what is shown of this stack: the values of hidden parameters of its
   * current and previous template, and of its ancestors' (a parent's hidden value passed down
   * stays secret in the nested stack even where the nested parameter is not hidden).
   */
  async secrets(stack: StackRecord): Promise<string[]> {
    const lists: (readonly string[])[] = [];
    let at: StackRecord | undefined = stack;
    for (let depth = 0; at && depth < 100; depth++) {
      for (const templateId of new Set([at.templateId, at.prevTemplateId])) {
        // A version that no longer loads has no parameters to read; what it stored was masked when written.
        const def = await this.definition(templateId, at).catch(() => EMPTY_DEFINITION);
        lists.push(def.hidden ?? []);
      }
      if (!at.parentResourceId) break;
      const parent = await this.deps.store.getResource(at.parentResourceId);
      at = parent && (await this.deps.store.getStack(parent.stackId));
    }
    return secretSet(...lists);
  }

  /** After a change to what a server's metadata holds: its stamp moves forward, then whoever pushes metadata is told. */
  async serverMetadataChanged(serverId: string, projectId: string): Promise<void> {
    await this.deps.software.touchServer(serverId, projectId, this.deps.clock.now());
    await this.deps.serverMetadata?.changed(serverId);
  }

  plugin(type: string): ResourcePlugin | undefined {
    return this.deps.plugins.get(type);
  }

  /**
   * The jobs converging `nodes` of a traversal of `def`, ready together (see checkJobs): an update
   * node goes in a batch when its type in `def` acts in the store only; a cleanup node when every
   * row of its resource in `rows` (by name) does. Check nodes, whose checks may ask the cloud, and
   * cleanup nodes whose rows were not read, go alone.
   */
  checkJobs(stackId: string, traversal: string, nodes: readonly string[], def: StackDefinition, rows?: ReadonlyMap<string, readonly ResourceRecord[]>): JobRequest[] {
    return checkJobs(stackId, traversal, nodes, (node) => {
      const parsed = parseNode(node);
      if (parsed?.kind === "update") return this.actsInStoreOnly(def, parsed.resource);
      const existing = parsed?.kind === "cleanup" ? rows?.get(parsed.resource) : undefined;
      return existing !== undefined && existing.length > 0 && existing.every((row) => this.pluginForRow(row)?.actsInStoreOnly === true);
    });
  }

  /** Whether the resource `name` of `def` acts in the store only: its update node goes in a batch. */
  actsInStoreOnly(def: StackDefinition, name: string): boolean {
    const resource = def.resources.get(name);
    return resource !== undefined && this.pluginFor(resource, def.files)?.actsInStoreOnly === true;
  }

  /** The plugin for a resource of a definition: built-in, or a provider template's nested stack. */
  pluginFor(def: ResourceDefinition, files: Record<string, string>): ResourcePlugin | undefined {
    if (def.providerTemplate !== undefined) return providerPlugin(def.type, files[def.providerTemplate], files);
    return this.plugin(def.type);
  }

  /** The plugin for a stored row (resume, delete, check), which needs no template. */
  pluginForRow(row: ResourceRecord): ResourcePlugin | undefined {
    if (row.data[PROVIDER_KEY]) return providerPlugin(row.type, undefined, {});
    return this.plugin(row.type);
  }
}

/** A map in the order its entries were last used, most recent last: the first is the one to forget. */
class RecentlyUsed<V> extends Map<string, V> {
  private newest?: string;

  /** The value kept for `key`, now the most recently used. */
  use(key: string): V | undefined {
    const value = this.get(key);
    // Moved only when another was used since: a move (delete, then insert) churns the map's
    // table, and a flat create asks for the same definition and graph in every job.
    if (value !== undefined && key !== this.newest) {
      this.delete(key);
      this.set(key, value);
    }
    return value;
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    this.newest = key;
    return this;
  }

  override delete(key: string): boolean {
    if (key === this.newest) this.newest = undefined;
    return super.delete(key);
  }
}

/** `load()`'s promise, shared by every caller for `key` until it settles. */
function shared<T>(inFlight: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const pending = inFlight.get(key);
  if (pending) return pending;
  const loading = load().finally(() => inFlight.delete(key));
  inFlight.set(key, loading);
  return loading;
}
