/**
 * An engine wired to in-memory ports, for tests of the convergence algorithm.
 *
 *   const t = testEngine();
 *   const stack = await t.engine.createStack({ projectId: "p", name: "s", template: yaml });
 *   await t.settle();
 */
import { randomUUID } from "node:crypto";
import { Engine } from "../convergence/engine";
import type { OutputLookup, ResourceDefinition, StackDefinition } from "../convergence/definition";
import type { EngineDeps, StackIdentity } from "../convergence/engineContext";
import type { RawTemplateRecord } from "../ports";
import { builtinPlugins } from "../resources/plugins";
import { createBuiltinRegistry } from "../resources/registry";
import { templateLoader } from "../convergence/fromTemplate";
import { MemoryNotifier } from "./memoryNotifier";
import { MemoryQueue, VirtualClock, type MemoryQueueOptions } from "./memoryQueue";
import { MemoryStore } from "./memoryStore";

export interface TestEngineOptions extends MemoryQueueOptions {
  loadDefinition?: EngineDeps["loadDefinition"];
  limits?: EngineDeps["limits"];
}

const hotLoader = templateLoader(createBuiltinRegistry(), builtinPlugins);

export function testEngine(opts: TestEngineOptions = {}) {
  const clock = new VirtualClock();
  const store = new MemoryStore();
  const queue = new MemoryQueue(clock, opts);
  const notifier = new MemoryNotifier();
  /** Every server id the engine said changed, in order. */
  const serverMetadataChanges: string[] = [];
  const engine = new Engine({
    store,
    queue,
    notifier,
    clock,
    plugins: builtinPlugins,
    loadDefinition: opts.loadDefinition ?? hotLoader,
    newId: randomUUID,
    publicUrl: () => "http://kiln.test",
    limits: opts.limits,
    software: store,
    serverMetadata: { changed: (serverId) => void serverMetadataChanges.push(serverId) },
  });
  queue.handlers = engine.handlers;

  const resources = async (stackId: string) => {
    const rows = await store.listResources(stackId);
    return Object.fromEntries(rows.filter((r) => !r.replacedBy).map((r) => [r.name, `${r.action}_${r.status}`]));
  };
  return {
    engine,
    store,
    queue,
    notifier,
    clock,
    serverMetadataChanges,
    settle: (until?: () => boolean) => queue.drain(until),
    /** Runs what can run now and stops where only timers are left (a resource waiting for a signal). */
    settleNow: () => queue.drain(() => !queue.hasReady),
    stack: async (id: string) => store.getStack(id),
    /** name → ACTION_STATUS of the current row of each resource. */
    resources,
  };
}

export interface ResourceSpec {
  type: string;
  requires?: string[];
  properties?: Record<string, unknown> | ((lookup: OutputLookup) => Record<string, unknown>);
  deletionPolicy?: "Delete" | "Retain";
}

/** A definition written directly, for tests of the algorithm that need no template language. */
export function definitionOf(spec: Record<string, ResourceSpec>, outputs: StackDefinition["outputs"] = () => ({})): StackDefinition {
  return {
    resources: new Map(
      Object.entries(spec).map(([name, r]): [string, ResourceDefinition] => [
        name,
        {
          name,
          type: r.type,
          requires: r.requires ?? [],
          deletionPolicy: r.deletionPolicy ?? "Delete",
          resolve: (lookup) => ({
            properties: typeof r.properties === "function" ? r.properties(lookup) : r.properties ?? {},
            metadata: undefined,
            updatePolicy: undefined,
          }),
        },
      ]),
    ),
    outputs,
    files: {},
  };
}

/** Definitions registered by name; a submission's `template` is the name. */
export class DefinitionBook {
  private readonly defs = new Map<string, StackDefinition>();
  add(name: string, def: StackDefinition) {
    this.defs.set(name, def);
    return name;
  }
  /** Falls back to the HOT loader for real templates (those a ResourceGroup generates, say). */
  load = (t: RawTemplateRecord, stack: StackIdentity): StackDefinition => this.defs.get(t.template) ?? hotLoader(t, stack);
}
