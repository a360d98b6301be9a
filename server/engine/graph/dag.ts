/**
 * A directed graph of string vertices and the algorithms the engine needs on it. It knows
 * nothing of what a vertex stands for (a resource, an update or cleanup node). Vertices and
 * edges keep insertion order, so every result is deterministic.
 *
 * Convention used by Kiln's graphs: an edge runs from a dependency to its dependent
 * (`from` must be done before `to`), so sources are what can start first.
 */
export class Digraph {
  private readonly out = new Map<string, Set<string>>();
  private readonly in = new Map<string, Set<string>>();

  addVertex(v: string): this {
    if (!this.out.has(v)) {
      this.out.set(v, new Set());
      this.in.set(v, new Set());
    }
    return this;
  }

  /** Adds both vertices if needed; adding an edge twice is a no-op. */
  addEdge(from: string, to: string): this {
    this.addVertex(from).addVertex(to);
    this.out.get(from)!.add(to);
    this.in.get(to)!.add(from);
    return this;
  }

  hasVertex(v: string): boolean {
    return this.out.has(v);
  }

  hasEdge(from: string, to: string): boolean {
    return this.out.get(from)?.has(to) ?? false;
  }

  vertices(): string[] {
    return [...this.out.keys()];
  }

  get size(): number {
    return this.out.size;
  }

  /** Vertices this one has edges to. */
  successors(v: string): ReadonlySet<string> {
    return this.out.get(v) ?? EMPTY;
  }

  /** Vertices with edges to this one. */
  predecessors(v: string): ReadonlySet<string> {
    return this.in.get(v) ?? EMPTY;
  }

  edges(): [from: string, to: string][] {
    const result: [string, string][] = [];
    for (const [from, tos] of this.out) for (const to of tos) result.push([from, to]);
    return result;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** The same vertices with every edge turned round (e.g. the order to delete in). */
export function reverseGraph(graph: Digraph): Digraph {
  const reversed = new Digraph();
  for (const v of graph.vertices()) reversed.addVertex(v);
  for (const [from, to] of graph.edges()) reversed.addEdge(to, from);
  return reversed;
}

/**
 * Kahn's algorithm: every vertex after all its predecessors, ties broken by insertion order.
 * On a cyclic graph, returns the vertices that could be ordered and `blocked` the rest
 * (those on or behind a cycle).
 */
export function topologicalSort(graph: Digraph): { order: string[]; blocked: string[] } {
  const remaining = new Map<string, number>();
  const order: string[] = [];
  for (const v of graph.vertices()) {
    const count = graph.predecessors(v).size;
    remaining.set(v, count);
    if (count === 0) order.push(v);
  }
  for (let i = 0; i < order.length; i++) {
    for (const next of graph.successors(order[i]!)) {
      const count = remaining.get(next)! - 1;
      remaining.set(next, count);
      if (count === 0) order.push(next);
    }
  }
  const blocked = order.length === graph.size ? [] : graph.vertices().filter((v) => remaining.get(v)! > 0);
  return { order, blocked };
}

/**
 * Strongly connected components (Tarjan's, iterative so long chains cannot overflow the
 * stack), in reverse topological order of the condensed graph.
 */
export function stronglyConnectedComponents(graph: Digraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of graph.vertices()) {
    if (index.has(root)) continue;
    const work: { v: string; it: Iterator<string> }[] = [];
    const visit = (v: string) => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      work.push({ v, it: graph.successors(v)[Symbol.iterator]() });
    };
    visit(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.v;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.v)!));
      }
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * One simple cycle per cyclic component, as the vertices along the edges starting and
 * ending at the component's earliest-inserted vertex (`[a, b, c, a]` for a→b→c→a). The
 * cycle is a shortest one through that vertex. Self-loops give `[a, a]`.
 */
export function findCycles(graph: Digraph): string[][] {
  const position = new Map(graph.vertices().map((v, i) => [v, i]));
  const cycles: { start: number; cycle: string[] }[] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    if (component.length === 1 && !graph.hasEdge(start, start)) continue;
    const members = new Set(component);
    // Breadth-first from start, inside the component, until an edge leads back to start.
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    for (let i = 0; i < queue.length && last === undefined; i++) {
      const v = queue[i]!;
      for (const w of graph.successors(v)) {
        if (w === start) {
          last = v;
          break;
        }
        if (members.has(w) && !parent.has(w)) {
          parent.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = last!; v !== start; v = parent.get(v)!) path.splice(1, 0, v);
    path.push(start);
    cycles.push({ start: position.get(start)!, cycle: path });
  }
  return cycles.sort((a, b) => a.start - b.start).map((c) => c.cycle);
}

/** Everything reachable backwards from `v`: what it depends on, directly or not (excluding v). */
export function transitiveDependencies(graph: Digraph, v: string): Set<string> {
  return reach(v, (x) => graph.predecessors(x));
}

/** Everything reachable forwards from `v`: what depends on it, directly or not (excluding v). */
export function transitiveDependents(graph: Digraph, v: string): Set<string> {
  return reach(v, (x) => graph.successors(x));
}

function reach(start: string, next: (v: string) => ReadonlySet<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    for (const w of next(stack.pop()!)) {
      if (!seen.has(w) && w !== start) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}
