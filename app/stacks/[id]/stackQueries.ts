import type { PageQuery } from "../../lib/prefetch";

/**
 * The stack page's first read, as its HTML starts it (page.tsx) and as the page then calls it
 * (useLiveStack): one definition, so that the two are the same query.
 */
export const stackShowInput = (idOrName: string) => ({ stack: idOrName });
/** Nested stacks five levels down: the graph opens them in place. */
export const stackResourcesInput = (idOrName: string) => ({ stack: idOrName, nestedDepth: 5 });

export const stackPageQueries = (idOrName: string): PageQuery[] => [
  { path: "stacks.show", input: stackShowInput(idOrName) },
  { path: "resources.list", input: stackResourcesInput(idOrName) },
];
