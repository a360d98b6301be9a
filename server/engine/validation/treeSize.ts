/**
 * Heat's max_resources_per_stack counts the whole tree of nested stacks from its root. What a
 * template adds to its tree is partly known before anything is built: its own resources, and
 * the members of each group whose count is known. Refusing it then means no row is created
 * for a stack that could never be built.
 */
import { error, type Diagnostic } from "../diagnostics";

/** What a template is known to add to its tree before anything is built. */
export interface TreeSize {
  /** Its own resources. */
  resources: number;
  /** Its groups (and chains) whose member count is known. */
  groups: GroupSize[];
}

export interface GroupSize {
  /** The group resource's name. */
  name: string;
  /** Its member count (each member counted once, even when it is a stack of its own). */
  count: number;
  /** The property that sets the count (a ResourceGroup's `count`, a ResourceChain's `resources`), named when it is too many. */
  property: string;
}

/** At least this many resources: the template's own and its groups' members. */
export const leastResources = (size: TreeSize) => size.groups.reduce((n, g) => n + g.count, size.resources);

/** Errors when the template alone, or with its groups' members, exceeds the limit (-1: none). */
export function treeSizeProblems({ resources, groups }: TreeSize, max: number): Diagnostic[] {
  if (max < 0) return [];
  if (resources > max) {
    return [error("resources", `the template has ${resources} resources, over the limit of ${max} resources in a stack and its nested stacks`)];
  }
  const problems: Diagnostic[] = [];
  let total = resources;
  for (const g of groups) {
    total += g.count;
    if (total > max) {
      problems.push(
        error(`resources.${g.name}.properties.${g.property}`, `${g.count} members would bring the stack and its nested stacks to at least ${total} resources, over the limit of ${max}`),
      );
    }
  }
  return problems;
}
