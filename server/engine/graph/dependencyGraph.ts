import { error, type Diagnostic } from "../diagnostics";
import { closest } from "../resources/closestName";
import { memberKey } from "../resources/storedAttributes";
import { Digraph, findCycles, topologicalSort } from "./dag";
import type { ResourceReferences } from "./references";

/**
 * The dependency graph of a stack's resources, built from what each resource refers to
 * (depends_on, get_resource, get_attr; the template layer finds them in properties and
 * metadata after resolving conditions).
 *
 * Direction: an edge runs FROM the dependency TO the dependent. `b: {get_resource: a}`
 * gives the edge a → b: a must exist before b, and `order` lists a before b.
 */

/** `implicit`: added by the types themselves, as Heat's add_dependencies does (./implicitDependencies.ts). */
export type DependencyKind = "depends_on" | "get_resource" | "get_attr" | "implicit";

export interface DependencyEdge {
  /** The resource depended on. */
  from: string;
  /** The resource that depends on it. */
  to: string;
  kind: DependencyKind;
  /** get_attr only: the attribute named (`*` for the all-attributes form). */
  attribute?: string;
  /** Template path of the reference that made the edge. */
  path: string;
}

export interface DependencyGraphResource {
  references: ResourceReferences;
  /** The resource's type name, as written (or as mapped by the environment). */
  type: string;
  /**
   * The attribute names get_attr may use on this resource. Leave undefined (unknown type)
   * or give "any" (dynamic attributes) to skip the check; for a nested stack or provider
   * template give its outputs plus the common attributes.
   */
  attributes?: ReadonlySet<string> | "any";
  /**
   * A group's members' attribute names (or "any"), and their type: get_attr on the group also
   * names a member attribute, as `NAME`, `resource.N.NAME`, `[resource.N, NAME]` or `[attributes, NAME]`.
   */
  members?: { type: string; attributes: ReadonlySet<string> | "any" };
  /** What the resource waits for without naming it (implicitDependencies.ts), with the property that made it. */
  implicit?: { target: string; path: string }[];
}

export interface DependencyGraph {
  nodes: { id: string; type: string }[];
  /** One edge per distinct (from, to, kind, attribute); the first reference's path is kept. */
  edges: DependencyEdge[];
  diagnostics: Diagnostic[];
  /** Every resource after all it depends on (ties in template order); undefined when there is a cycle. */
  order: string[] | undefined;
  /** Each cycle in depends-on order, first resource repeated at the end: a → b → c → a means a depends on b. */
  cycles: string[][];
  /** The same dependencies as a plain graph (dependency → dependent) for the generic algorithms. */
  graph: Digraph;
}

const LIST_LIMIT = 20;

export function buildDependencyGraph(resources: readonly DependencyGraphResource[]): DependencyGraph {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map<string, DependencyGraphResource>();
  for (const resource of resources) if (!byName.has(resource.references.name)) byName.set(resource.references.name, resource);
  const names = [...byName.keys()];

  const graph = new Digraph();
  for (const name of names) graph.addVertex(name);

  const edges: DependencyEdge[] = [];
  const seen = new Set<string>();
  /** Path of the first reference from `to` to `from`, to point cycle diagnostics at. */
  const referencePath = new Map<string, string>();

  const add = (edge: DependencyEdge) => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${edge.attribute ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
    graph.addEdge(edge.from, edge.to);
    const pair = `${edge.to}\u0000${edge.from}`;
    if (!referencePath.has(pair)) referencePath.set(pair, edge.path);
  };

  const unknownTarget = (what: string, source: string, target: string, path: string) => {
    const suggestion = closest(target, names);
    const known = names.length <= LIST_LIMIT ? ` (resources in this template: ${names.join(", ")})` : "";
    diagnostics.push(
      error(path, `${what} in resource "${source}" refers to unknown resource "${target}"${suggestion ? `; did you mean "${suggestion}"?` : ""}${known}`),
    );
  };

  for (const name of names) {
    const { references, implicit } = byName.get(name)!;
    for (const entry of references.dependsOn) {
      if (!byName.has(entry.target)) unknownTarget("depends_on", name, entry.target, entry.path);
      else add({ from: entry.target, to: name, kind: "depends_on", path: entry.path });
    }
    for (const ref of references.refs) {
      const kind: DependencyKind = ref.attribute === undefined ? "get_resource" : "get_attr";
      const target = byName.get(ref.target);
      if (!target) {
        unknownTarget(kind, name, ref.target, ref.path);
        continue;
      }
      const unknown = unknownAttribute(ref.target, target, ref);
      if (unknown) diagnostics.push(unknown);
      add({ from: ref.target, to: name, kind, ...(ref.attribute !== undefined && { attribute: ref.attribute }), path: ref.path });
    }
    for (const entry of implicit ?? []) if (byName.has(entry.target)) add({ from: entry.target, to: name, kind: "implicit", path: entry.path });
  }

  const sorted = topologicalSort(graph);
  // Only a graph that cannot be fully sorted has cycles. They read best in depends-on
  // direction, the reverse of the edges.
  const cycles = sorted.blocked.length ? findCycles(graph).map((cycle) => cycle.reverse()) : [];
  for (const cycle of cycles) {
    const path = referencePath.get(`${cycle[0]}\u0000${cycle[1]}`) ?? `resources.${cycle[0]}`;
    diagnostics.push(
      error(
        path,
        cycle.length === 2
          ? `resource "${cycle[0]}" depends on itself`
          : `circular dependency: ${cycle.join(" → ")} (each resource depends on the next)`,
      ),
    );
  }

  return {
    nodes: names.map((id) => ({ id, type: byName.get(id)!.type })),
    edges,
    diagnostics,
    order: sorted.blocked.length ? undefined : sorted.order,
    cycles,
    graph,
  };
}

/** A get_attr naming an attribute its target (or, for a group, its members) does not have, as a problem at the reference. */
export function unknownAttribute(name: string, target: DependencyGraphResource, ref: ResourceReferences["refs"][number]): Diagnostic | undefined {
  if (ref.attribute === undefined || ref.attribute === "*") return undefined;
  const own = target.attributes;
  if (target.members) {
    const named = memberAttributeNamed(ref.attribute, ref.key, own);
    if (named === undefined) return undefined;
    return notAmong(target.members.attributes, named, ref.path, `the members of "${name}" (${target.members.type}) have no attribute`, "their attributes");
  }
  return notAmong(own, ref.attribute, ref.path, `resource "${name}" (${target.type}) has no attribute`, "its attributes");
}

/** The member attribute a get_attr on a group names, if any (none for the group's own attributes, or `resource.N` alone). */
function memberAttributeNamed(attribute: string, key: string | undefined, own: ReadonlySet<string> | "any" | undefined): string | undefined {
  const member = memberKey(attribute);
  if (member) return member.attribute ?? key;
  if (attribute === "attributes") return key;
  return own !== undefined && own !== "any" && own.has(attribute) ? undefined : attribute;
}

function notAmong(allowed: ReadonlySet<string> | "any" | undefined, attribute: string, path: string, what: string, listed: string): Diagnostic | undefined {
  if (allowed === undefined || allowed === "any" || allowed.has(attribute)) return undefined;
  const list = [...allowed].sort();
  const suggestion = closest(attribute, list);
  return error(path, `${what} "${attribute}"` + (suggestion ? `; did you mean "${suggestion}"?` : "") + ` (${listed}: ${list.join(", ")})`);
}
