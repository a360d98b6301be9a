import { resourceKey } from "./stackPaths";
import type { LiveResource } from "./useLiveStack";

const lastSpan = (r: LiveResource) => r.spans.at(-1);

/**
 * The chain of resources that decided how long the deployment took: start from the resource
 * that finished last and step back, each time, to the dependency that finished last before it
 * started (the one it was waiting for). Resources are matched within their own stack.
 */
export function criticalPath(resources: Map<string, LiveResource>, now: number): Set<string> {
  const path = new Set<string>();
  let current: LiveResource | undefined;
  for (const r of resources.values()) {
    const s = lastSpan(r);
    if (s && (!current || (s.end ?? now) > (lastSpan(current)!.end ?? now))) current = r;
  }
  while (current && !path.has(current.key)) {
    path.add(current.key);
    const start = lastSpan(current)!.start;
    let gate: LiveResource | undefined;
    for (const name of current.requires) {
      const dep = resources.get(resourceKey(current.stackPath, name));
      const end = dep && lastSpan(dep)?.end;
      if (end !== undefined && end <= start + 50 && (!gate || end > lastSpan(gate)!.end!)) gate = dep;
    }
    current = gate;
  }
  return path;
}
