import { error, type Diagnostic } from "../diagnostics";
import { builtinResourceTypes } from "./builtinTypes";
import type { ResourceTypeSchema, SupportStatus } from "./schema";
import { resourceTypeJson, type ResourceTypeJson } from "./showResourceType";
import { closest } from "./closestName";
import { matchEach } from "../userPattern";

export interface ResourceTypeListFilter {
  /** Only types whose name matches: a RegExp, or a string taken as a regular expression (as Heat's `type_name`). */
  name?: RegExp | string;
  supportStatus?: SupportStatus["status"];
  withDescription?: boolean;
}

export interface ResourceTypeListEntry {
  resource_type: string;
  description?: string;
}

/**
 * The resource types known by name. Generic in the entry so the convergence engine can
 * register types that carry behaviour (`ResourceTypeRegistry<ResourcePlugin>`) while
 * validation only reads the schema part.
 */
export class ResourceTypeRegistry<T extends ResourceTypeSchema = ResourceTypeSchema> {
  private readonly types = new Map<string, T>();

  constructor(types: Iterable<T> = []) {
    for (const type of types) this.register(type);
  }

  /** Adds a type; registering a name twice is a programming error. */
  register(type: T): this {
    if (this.types.has(type.type)) throw new Error(`resource type ${type.type} is already registered`);
    this.types.set(type.type, type);
    return this;
  }

  get(name: string): T | undefined {
    return this.types.get(name);
  }

  has(name: string): boolean {
    return this.types.has(name);
  }

  /** Every registered name, sorted. */
  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /**
   * The type, or a diagnostic the caller may report at `path` (the caller decides: an
   * environment's resource_registry may map the name first).
   */
  lookup(name: string, path: string): { type: T; diagnostic?: undefined } | { type?: undefined; diagnostic: Diagnostic } {
    const type = this.types.get(name);
    if (type) return { type };
    return { diagnostic: unknownResourceType(name, path, this.names()) };
  }

  /** As `openstack orchestration resource type list`; hidden types are left out. */
  list(filter: ResourceTypeListFilter = {}): ResourceTypeListEntry[] {
    const pattern = typeof filter.name === "string" ? new RegExp(filter.name) : filter.name;
    const shown = this.names()
      .map((name) => this.types.get(name)!)
      .filter((type) => type.supportStatus.status !== "HIDDEN");
    // The pattern may be a user's: matched under a time limit, all names at once.
    const matched = pattern ? matchEach(pattern, shown.map((type) => type.type)) : undefined;
    return shown
      .filter((_, i) => !matched || matched[i])
      .filter((type) => !filter.supportStatus || type.supportStatus.status === filter.supportStatus)
      .map((type) => (filter.withDescription ? { resource_type: type.type, description: type.description } : { resource_type: type.type }));
  }

  /** As `openstack orchestration resource type show NAME`; undefined for unknown or hidden types. */
  show(name: string, options: { withDescription?: boolean } = {}): ResourceTypeJson | undefined {
    const type = this.types.get(name);
    if (!type || type.supportStatus.status === "HIDDEN") return undefined;
    return resourceTypeJson(type, options);
  }
}

export function unknownResourceType(name: string, path: string, known: readonly string[]): Diagnostic {
  const suggestion = closest(name, known);
  return error(
    path,
    `unknown resource type "${name}"` +
      (suggestion ? ` (did you mean "${suggestion}"?)` : "") +
      ": map it to a template in the environment's resource_registry, or use an available type (`resource type list`, in kiln or openstack orchestration)",
  );
}

/** A fresh registry holding the built-in types. */
export function createBuiltinRegistry(): ResourceTypeRegistry {
  return new ResourceTypeRegistry(builtinResourceTypes);
}
