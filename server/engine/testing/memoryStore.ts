/**
 * StateStore kept in memory: the engine's tests run the whole convergence algorithm against
 * it in milliseconds. Values are copied in and out so callers cannot share mutable state with
 * the "database", exactly as with a real one.
 */
import {
  type Arrival,
  type LockRunner,
  type RawTemplateRecord,
  type ResourceRecord,
  type ServerMetadataStamp,
  type SoftwareConfigRecord,
  type SoftwareDeploymentRecord,
  type SoftwareStore,
  type Status,
  type StackRecord,
  type StackTraversalAfterWrite,
  type StateStore,
  type SyncPointRecord,
} from "../ports";
import { SOFTWARE_SERVER_TYPES } from "../resources/software/softwareServers";
import { DuplicateStackName } from "../errors";

const copy = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements StateStore, SoftwareStore {
  readonly templates = new Map<string, RawTemplateRecord>();
  readonly stacks = new Map<string, StackRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  readonly syncPoints = new Map<string, SyncPointRecord>();
  readonly arrivalsByNode = new Map<string, Map<string, unknown>>();
  readonly softwareConfigs = new Map<string, SoftwareConfigRecord>();
  readonly softwareDeployments = new Map<string, SoftwareDeploymentRecord>();
  readonly serverStamps = new Map<string, ServerMetadataStamp>();

  async saveTemplate(t: RawTemplateRecord) {
    this.templates.set(t.id, copy(t));
  }
  async getTemplate(id: string) {
    const t = this.templates.get(id);
    return t && copy(t);
  }

  async createStack(s: StackRecord) {
    for (const other of this.stacks.values()) {
      if (other.projectId === s.projectId && other.name === s.name) throw new DuplicateStackName(s.name);
    }
    this.stacks.set(s.id, copy(s));
  }
  async getStack(id: string) {
    const s = this.stacks.get(id);
    return s && copy(s);
  }
  async findStackByName(projectId: string, name: string) {
    for (const s of this.stacks.values()) if (s.projectId === projectId && s.name === name) return copy(s);
    return undefined;
  }
  async listStacks(projectId: string) {
    return [...this.stacks.values()].filter((s) => s.projectId === projectId && !s.parentResourceId).map(copy);
  }
  async childStacks(parentResourceIds: string[]) {
    const ids = new Set(parentResourceIds);
    return [...this.stacks.values()].filter((s) => s.parentResourceId && ids.has(s.parentResourceId)).map(copy);
  }
  async updateStack(id: string, patch: Partial<StackRecord>, ifTraversal?: string | null) {
    const s = this.stacks.get(id);
    if (!s) return false;
    if (ifTraversal !== undefined && s.currentTraversal !== ifTraversal) return false;
    Object.assign(s, copy(patch), { updatedAt: new Date().toISOString() });
    return true;
  }
  async deleteStack(id: string) {
    this.stacks.delete(id);
  }

  async listResources(stackId: string) {
    return [...this.resources.values()].filter((r) => r.stackId === stackId).map(copy);
  }
  async countTreeResources(rootStackId: string) {
    return [...this.resources.values()].filter((r) => this.stacks.get(r.stackId)?.rootStackId === rootStackId).length;
  }
  async getResource(id: string) {
    const r = this.resources.get(id);
    return r && copy(r);
  }
  async findResources(stackId: string, name: string) {
    return [...this.resources.values()].filter((r) => r.stackId === stackId && r.name === name).map(copy);
  }
  async findResourcesNamed(stackId: string, names: readonly string[]) {
    const wanted = new Set(names);
    return [...this.resources.values()].filter((r) => r.stackId === stackId && wanted.has(r.name)).map(copy);
  }
  async createResources(rows: ResourceRecord[]) {
    for (const r of rows) if (!this.resources.has(r.id)) this.resources.set(r.id, copy(r));
  }
  async updateResource(id: string, patch: Partial<ResourceRecord>) {
    const r = this.resources.get(id);
    if (r) Object.assign(r, copy(patch), { updatedAt: new Date().toISOString() });
  }
  async deleteResource(id: string) {
    const r = this.resources.get(id);
    this.resources.delete(id);
    return r && this.stackTraversal(r.stackId);
  }
  private stackTraversal(stackId: string): StackTraversalAfterWrite {
    return this.stacks.get(stackId)?.currentTraversal;
  }
  async listResourceIds(stackId: string) {
    return [...this.resources.values()].filter((r) => r.stackId === stackId).map(({ id, name }) => ({ id, name }));
  }
  getStackState(id: string) {
    return this.getStack(id);
  }
  findResourceStates(stackId: string, name: string) {
    return this.findResources(stackId, name);
  }
  getResourceState(id: string) {
    return this.getResource(id);
  }
  /** Who holds each lock within its traversal (the store's lockRunner column). */
  private readonly runners = new Map<string, string | null>();
  async lockResource(id: string, traversal: string, runner?: LockRunner, start?: Partial<ResourceRecord>) {
    const r = this.resources.get(id);
    if (!r) return {};
    const heldBy = heldFrom(r, this.runners, traversal, runner);
    if (heldBy) return { heldBy };
    const started = start !== undefined && r.action === "INIT" && !r.replacedBy;
    if (started) Object.assign(r, copy(start), { updatedAt: new Date().toISOString() });
    r.lockTraversal = traversal;
    this.runners.set(id, runner?.id ?? null);
    return { resource: copy(r), ...(started ? { started } : {}) };
  }
  async createAtOnce(id: string, traversal: string, runner: LockRunner | undefined, created: Partial<ResourceRecord>) {
    const r = this.resources.get(id);
    if (!r || heldFrom(r, this.runners, traversal, runner) || r.action !== "INIT" || r.replacedBy) return { written: false, stackTraversal: undefined };
    Object.assign(r, copy(created), { lockTraversal: null, updatedAt: new Date().toISOString() });
    this.runners.delete(id);
    return { written: true, stackTraversal: this.stackTraversal(r.stackId) };
  }
  async deleteAtOnce(id: string, traversal: string, runner: LockRunner | undefined) {
    const r = this.resources.get(id);
    if (!r || heldFrom(r, this.runners, traversal, runner)) return { deleted: false, stackTraversal: undefined };
    this.resources.delete(id);
    this.runners.delete(id);
    return { deleted: true, stackTraversal: this.stackTraversal(r.stackId) };
  }
  async updateHeldResource(id: string, traversal: string, patch: Partial<ResourceRecord>) {
    const r = this.resources.get(id);
    if (!r || r.lockTraversal !== traversal) return false;
    Object.assign(r, copy(patch), { lockTraversal: traversal, updatedAt: new Date().toISOString() });
    return true;
  }
  async recordMadeObject(id: string, expected: string | null, physicalId: string) {
    const r = this.resources.get(id);
    if (!r || r.lockTraversal !== null || r.physicalId !== expected) return false;
    Object.assign(r, { physicalId, updatedAt: new Date().toISOString() });
    return true;
  }
  async unlockResource(id: string, traversal: string, patch: Partial<ResourceRecord>) {
    const r = this.resources.get(id);
    if (!r || r.lockTraversal !== traversal) return undefined;
    Object.assign(r, copy(patch), { lockTraversal: null, updatedAt: new Date().toISOString() });
    this.runners.delete(id);
    return this.stackTraversal(r.stackId);
  }

  async createSyncPoints(points: SyncPointRecord[]) {
    for (const p of points) {
      const key = `${p.traversal}|${p.node}`;
      if (!this.syncPoints.has(key)) this.syncPoints.set(key, copy(p));
    }
  }
  async getSyncPoints(traversal: string) {
    return [...this.syncPoints.values()].filter((p) => p.traversal === traversal).map(copy);
  }
  async getSyncPoint(traversal: string, node: string) {
    const p = this.syncPoints.get(`${traversal}|${node}`);
    return p && copy(p);
  }
  async arrive(traversal: string, node: string, predecessor: string, payload: unknown) {
    const key = `${traversal}|${node}`;
    const point = this.syncPoints.get(key);
    if (!point) return false;
    let arrived = this.arrivalsByNode.get(key);
    if (!arrived) this.arrivalsByNode.set(key, (arrived = new Map()));
    if (arrived.has(predecessor)) return false;
    arrived.set(predecessor, copy(payload));
    point.remaining -= 1;
    return point.remaining === 0;
  }
  async arrivals(traversal: string, node: string): Promise<Arrival[]> {
    const arrived = this.arrivalsByNode.get(`${traversal}|${node}`) ?? new Map();
    return [...arrived].map(([predecessor, payload]) => ({ predecessor, payload: copy(payload) }));
  }
  async traversalState(traversal: string) {
    const points = [...this.syncPoints.values()].filter((p) => p.traversal === traversal).map(copy);
    const arrived = points.flatMap((p) => [...(this.arrivalsByNode.get(`${traversal}|${p.node}`)?.keys() ?? [])].map((predecessor) => ({ node: p.node, predecessor })));
    return { points, arrived };
  }
  async purgeTraversal(traversal: string) {
    for (const [key, p] of this.syncPoints) {
      if (p.traversal === traversal) {
        this.syncPoints.delete(key);
        this.arrivalsByNode.delete(key);
      }
    }
  }
  async sweepTraversals(stackId: string, keep: string) {
    const current = this.stacks.get(stackId)?.currentTraversal;
    for (const [key, p] of this.syncPoints) {
      if (p.stackId === stackId && p.traversal !== keep && p.traversal !== current) {
        this.syncPoints.delete(key);
        this.arrivalsByNode.delete(key);
      }
    }
  }
  async purgeTraversals(stackId: string) {
    for (const [key, p] of this.syncPoints) {
      if (p.stackId === stackId) {
        this.syncPoints.delete(key);
        this.arrivalsByNode.delete(key);
      }
    }
  }

  async createConfig(c: SoftwareConfigRecord) {
    if (!this.softwareConfigs.has(c.id)) this.softwareConfigs.set(c.id, copy(c));
  }
  async getConfig(id: string) {
    const c = this.softwareConfigs.get(id);
    return c && copy(c);
  }
  async deleteConfig(id: string) {
    this.softwareConfigs.delete(id);
  }
  async putDeployment(d: SoftwareDeploymentRecord) {
    this.softwareDeployments.set(d.id, copy(d));
  }
  async getDeployment(id: string) {
    const d = this.softwareDeployments.get(id);
    return d && copy(d);
  }
  async updateDeployment(id: string, patch: Partial<SoftwareDeploymentRecord>, ifStatus?: Status) {
    const d = this.softwareDeployments.get(id);
    if (!d || (ifStatus !== undefined && d.status !== ifStatus)) return false;
    Object.assign(d, copy(patch), { updatedAt: patch.updatedAt ?? new Date().toISOString() });
    return true;
  }
  async deleteDeployment(id: string) {
    this.softwareDeployments.delete(id);
  }
  async serverDeployments(serverId: string) {
    return [...this.softwareDeployments.values()]
      .filter((d) => d.serverId === serverId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map(copy);
  }
  async touchServer(serverId: string, _projectId: string, now: number) {
    const prev = this.serverStamps.get(serverId);
    const second = Math.floor(now / 1000) * 1000;
    const stamp = { serverId, modifiedAt: prev && prev.modifiedAt >= second ? prev.modifiedAt + 1000 : second, version: (prev?.version ?? 0) + 1 };
    this.serverStamps.set(serverId, stamp);
    return copy(stamp);
  }
  async serverStamp(serverId: string) {
    const s = this.serverStamps.get(serverId);
    return s && copy(s);
  }
  async serverResource(serverId: string) {
    const r = [...this.resources.values()].find((r) => (r.physicalId === serverId || r.id === serverId) && SOFTWARE_SERVER_TYPES.includes(r.type) && !r.replacedBy);
    return r && copy(r);
  }
}

/**
 * Who holds the row's lock, when `runner` of `traversal` may not take it (see
 * StateStore.lockResource). Not a method: dieAtWrite wraps every method as an asynchronous call.
 */
function heldFrom(r: ResourceRecord, runners: ReadonlyMap<string, string | null>, traversal: string, runner?: LockRunner): string | undefined {
  if (r.lockTraversal && r.lockTraversal !== traversal) return r.lockTraversal;
  const holder = r.lockTraversal ? (runners.get(r.id) ?? null) : null;
  if (runner && holder !== null && holder !== runner.id && !runner.takeover) return traversal;
  return undefined;
}
