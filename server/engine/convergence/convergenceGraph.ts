/**
 * Builds a traversal's convergence graph from the desired resources (the new definition) and
 * the existing ones (rows in the store):
 *
 *   update:X   after update:D for every D that X needs in the new definition;
 *   cleanup:X  only where rows may have to go (X existed before): after update:X, after the
 *              update of every resource that needed or needs X (they moved to the new copy),
 *              and after the cleanup of every existing resource that needed X (dependents are
 *              deleted first);
 *   stack      after every node that nothing else waits for.
 *
 * Update edges follow new dependencies and cleanup edges old ones reversed, and no update
 * waits for a cleanup, so the graph is acyclic whenever the template is.
 */
import { nodeName, STACK_NODE } from "./nodes";

export interface GraphNode {
  node: string;
  predecessors: number;
  successors: string[];
}

export interface ConvergenceGraph {
  nodes: GraphNode[];
  /** Nodes with no predecessors: queued when the traversal starts. */
  leaves: string[];
}

export function convergenceGraph(
  desired: ReadonlyMap<string, readonly string[]>,
  existing: ReadonlyMap<string, readonly string[]>,
): ConvergenceGraph {
  const edges = new Map<string, Set<string>>();
  const addNode = (n: string) => {
    if (!edges.has(n)) edges.set(n, new Set());
  };
  const addEdge = (from: string, to: string) => {
    addNode(from);
    addNode(to);
    edges.get(from)!.add(to);
  };
  const update = (name: string) => nodeName("update", name);
  const cleanup = (name: string) => nodeName("cleanup", name);

  for (const [name, requires] of desired) {
    addNode(update(name));
    for (const dep of requires) if (desired.has(dep)) addEdge(update(dep), update(name));
  }
  for (const name of existing.keys()) {
    addNode(cleanup(name));
    if (desired.has(name)) addEdge(update(name), cleanup(name));
  }
  for (const [name, requires] of desired) {
    for (const dep of requires) if (existing.has(dep)) addEdge(update(name), cleanup(dep));
  }
  for (const [name, oldRequires] of existing) {
    for (const dep of oldRequires) {
      if (!existing.has(dep)) continue;
      addEdge(cleanup(name), cleanup(dep));
      if (desired.has(name)) addEdge(update(name), cleanup(dep));
    }
  }
  return finish(edges);
}

/** A stack check: every existing resource is checked independently. */
export function checkGraph(existing: Iterable<string>): ConvergenceGraph {
  const edges = new Map<string, Set<string>>();
  for (const name of existing) edges.set(nodeName("check", name), new Set());
  return finish(edges);
}

function finish(edges: Map<string, Set<string>>): ConvergenceGraph {
  const predecessors = new Map<string, number>();
  for (const n of edges.keys()) predecessors.set(n, 0);
  for (const succ of edges.values()) for (const s of succ) predecessors.set(s, predecessors.get(s)! + 1);
  const nodes: GraphNode[] = [];
  let sinks = 0;
  for (const [node, succ] of edges) {
    const successors = [...succ];
    if (successors.length === 0) {
      successors.push(STACK_NODE);
      sinks++;
    }
    nodes.push({ node, predecessors: predecessors.get(node)!, successors });
  }
  nodes.push({ node: STACK_NODE, predecessors: sinks, successors: [] });
  return { nodes, leaves: nodes.filter((n) => n.predecessors === 0).map((n) => n.node) };
}
