/**
 * The order `kiln stack resource list` prints: each stack's resources after what they depend
 * on (so a reader meets a network before its subnet and port), ties by name; nested stacks'
 * resources follow their parents', stack by stack. Heat lists them as its database returns them.
 */
import { Digraph, topologicalSort } from "../engine/graph/dag";

interface Listed {
  name: string;
  stackId: string;
  requires: string[];
}

export function inDependencyOrder<R extends Listed>(resources: readonly R[]): R[] {
  // Node 20 has no Map.groupBy.
  const byStack = new Map<string, R[]>();
  for (const r of resources) {
    if (!byStack.has(r.stackId)) byStack.set(r.stackId, []);
    byStack.get(r.stackId)!.push(r);
  }
  return [...byStack.values()].flatMap((inStack) => {
    const byName = new Map(inStack.map((r) => [r.name, r]));
    const graph = new Digraph();
    for (const name of [...byName.keys()].sort()) graph.addVertex(name);
    for (const r of inStack) for (const dep of r.requires) if (byName.has(dep)) graph.addEdge(dep, r.name);
    // A cycle cannot be deployed, but its resources are still listed, after the rest.
    const { order, blocked } = topologicalSort(graph);
    return [...order, ...blocked].map((name) => byName.get(name)!);
  });
}
