"use client";
import { createContext, startTransition, useContext, useEffect, useState } from "react";
import type { LiveResource } from "./useLiveStack";

/**
 * How often, at most, the graph and the timeline redraw what changed: five times a second is
 * live to the eye, and leaves a burst's frames to the event stream beside them.
 */
export const GRAPH_REDRAW_MS = 200;

/**
 * Which resources changed, for the views that draw one resource each (graph nodes and edges):
 * they subscribe to their resource and redraw alone, so a status change costs one node, not
 * the whole graph. `touch` marks a key; subscribers hear of it at most once per `intervalMs`,
 * because redrawing (and, without a GPU, rasterising) a big graph sixty times a second during
 * a burst would starve the event stream beside it of the same CPU.
 */
export class ResourceChanges {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly pending = new Set<string>();
  private readonly versions = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;

  constructor(
    readonly resources: Map<string, LiveResource>,
    private readonly intervalMs = GRAPH_REDRAW_MS,
  ) {}

  touch(key: string) {
    this.pending.add(key);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Tells the subscribers of every key touched since the last flush. */
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) this.versions.set(key, this.version(key) + 1);
    for (const key of keys) for (const listener of this.listeners.get(key) ?? []) listener();
  }

  subscribe(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** How many times the key's subscribers have been told of a change. */
  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }
}

export const ResourceChangesContext = createContext<ResourceChanges | null>(null);

/**
 * The resource as it is now; the calling component redraws whenever it changes, in a
 * transition: a burst that changes hundreds of nodes is drawn in slices that the event stream's
 * urgent updates can interrupt, instead of in one long task that holds them up.
 */
export function useResource(key: string): LiveResource | undefined {
  const changes = useContext(ResourceChangesContext);
  const [, redraw] = useState(0);
  const drawn = changes?.version(key) ?? 0;
  // Subscribed once per key, not again after each redraw: a burst redraws hundreds of nodes and
  // edges ten times a second, and each would otherwise leave and rejoin its listener set.
  useEffect(() => {
    if (!changes) return;
    const again = () => startTransition(() => redraw((v) => v + 1));
    // A change told between the first render and the subscription would otherwise be missed;
    // after it, the subscription hears every change.
    if (changes.version(key) !== drawn) again();
    return changes.subscribe(key, again);
    // `drawn` is left out on purpose: the subscribing render's version is the one to compare.
  }, [changes, key]);
  return changes?.resources.get(key);
}
