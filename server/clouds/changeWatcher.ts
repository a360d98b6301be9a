/**
 * One watcher per cloud and project: instead of each waiting resource asking about its own
 * object every second (Heat's check_create_complete), it lists what changed, one call per
 * service per round whatever the number of waiting resources, and wakes exactly the resources
 * whose object moved. Nova answers with `changes-since` (deleted servers included); Neutron
 * and Cinder answer a filtered list. Rounds slow down while nothing moves and stop when
 * nothing waits.
 */
import type { CloudWatch } from "../engine/ports";
import type { KeystoneSession } from "./keystoneSession";

export interface WatcherOptions {
  /** The first interval, and the one used again after something moved. */
  minIntervalMs?: number;
  /** The longest interval while nothing moves. */
  maxIntervalMs?: number;
  onError?: (err: unknown) => void;
}

interface Seen {
  id: string;
  status: string;
}

export class ChangeWatcher {
  private readonly watched = new Map<string, CloudWatch & { since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private interval: number;
  private readonly min: number;
  private readonly max: number;
  /** Rounds made, for tests and the bench. */
  rounds = 0;

  constructor(
    private readonly session: KeystoneSession,
    private readonly wake: (resourceId: string) => void,
    private readonly options: WatcherOptions = {},
  ) {
    this.min = options.minIntervalMs ?? 500;
    this.max = options.maxIntervalMs ?? 5_000;
    this.interval = this.min;
  }

  watch(target: CloudWatch) {
    this.watched.set(target.resourceId, { ...target, since: Date.now() });
    this.interval = this.min;
    this.schedule();
  }

  get size() {
    return this.watched.size;
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  /** Stops, waking every resource that waited: they look again in whichever cloud is theirs now. */
  release() {
    const waiting = [...this.watched.keys()];
    this.stop();
    for (const resourceId of waiting) this.wake(resourceId);
  }

  private schedule() {
    if (this.timer || this.running || this.watched.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, this.interval);
    this.timer.unref?.();
  }

  private async round() {
    this.running = true;
    this.rounds++;
    let woken = 0;
    try {
      const groups = new Map<string, (CloudWatch & { since: number })[]>();
      for (const t of this.watched.values()) {
        const key = `${t.service} ${t.collection}`;
        groups.set(key, [...(groups.get(key) ?? []), t]);
      }
      for (const targets of groups.values()) {
        const seen = await this.list(targets);
        for (const t of targets) {
          const now = seen.get(t.id);
          const moved = now === undefined ? t.service !== "compute" : now.status !== t.status;
          if (moved) {
            // Woken once: a resource that still waits watches again when it resumes.
            this.watched.delete(t.resourceId);
            woken++;
            this.wake(t.resourceId);
          }
        }
      }
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.running = false;
      this.interval = woken > 0 ? this.min : Math.min(this.max, Math.round(this.interval * 1.5));
      this.schedule();
    }
  }

  /** What the cloud says now of these objects, by id; an object absent from the answer is gone (compute: unchanged). */
  private async list(targets: (CloudWatch & { since: number })[]): Promise<Map<string, Seen>> {
    const { service, collection } = targets[0]!;
    const seen = new Map<string, Seen>();
    if (service === "compute") {
      // Changes since the earliest watch began, with a margin for Nova's one-second resolution.
      const since = new Date(Math.min(...targets.map((t) => t.since)) - 2_000).toISOString().replace(/\.\d+Z$/, "Z");
      const answer = await this.session.call("compute", "GET", `/servers/detail?changes-since=${encodeURIComponent(since)}`);
      // A task shows in the status (REBUILD, RESIZE, VERIFY_RESIZE) from the moment Nova accepts it, so status alone says what moved.
      const servers = (answer.body as { servers: { id: string; status: string }[] }).servers;
      for (const s of servers) seen.set(s.id, { id: s.id, status: s.status });
      return seen;
    }
    if (service === "network") {
      const query = targets.map((t) => `id=${encodeURIComponent(t.id)}`).join("&");
      const answer = await this.session.call("network", "GET", `/v2.0/${collection}?${query}&fields=id&fields=status`);
      for (const o of (answer.body as Record<string, { id: string; status?: string }[]>)[collection] ?? []) seen.set(o.id, { id: o.id, status: o.status ?? "" });
      return seen;
    }
    // Cinder: the project's volumes (or snapshots), one call.
    const answer = await this.session.call(service, "GET", `/${collection}/detail`);
    for (const o of (answer.body as Record<string, { id: string; status?: string }[]>)[collection] ?? []) seen.set(o.id, { id: o.id, status: o.status ?? "" });
    return seen;
  }
}
