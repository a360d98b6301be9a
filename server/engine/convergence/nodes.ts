/**
 * Names of convergence-graph nodes. A node is a (resource name, kind) pair: `update` creates
 * or updates the resource to the traversal's definition, `cleanup` deletes rows that must go
 * (replaced copies, or all rows of a resource no longer in the template), `check` verifies it.
 * `stack` is the stack's own sync point: when it completes, so does the traversal.
 */
export type NodeKind = "update" | "cleanup" | "check";

export const STACK_NODE = "stack";

export const nodeName = (kind: NodeKind, resource: string) => `${kind}:${resource}`;

export function parseNode(node: string): { kind: NodeKind; resource: string } | undefined {
  const i = node.indexOf(":");
  if (i < 0) return undefined;
  return { kind: node.slice(0, i) as NodeKind, resource: node.slice(i + 1) };
}
