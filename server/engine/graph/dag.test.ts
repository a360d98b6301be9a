import { describe, expect, it } from "vitest";
import {
  Digraph,
  findCycles,
  reverseGraph,
  stronglyConnectedComponents,
  topologicalSort,
  transitiveDependencies,
  transitiveDependents,
} from "./dag";

/** "a>b c>d" builds a→b and c→d. */
function graph(spec: string, ...isolated: string[]): Digraph {
  const g = new Digraph();
  for (const v of isolated) g.addVertex(v);
  for (const pair of spec.split(" ").filter(Boolean)) {
    const [from, to] = pair.split(">");
    g.addEdge(from!, to!);
  }
  return g;
}

describe("topological sort", () => {
  it.each([
    ["a chain", "a>b b>c", ["a", "b", "c"]],
    ["a diamond", "a>b a>c b>d c>d", ["a", "b", "c", "d"]],
    ["independent vertices in insertion order", "x>y p>q", ["x", "p", "y", "q"]],
  ])("%s", (_, spec, order) => {
    expect(topologicalSort(graph(spec))).toEqual({ order, blocked: [] });
  });

  it("reports what a cycle blocks", () => {
    expect(topologicalSort(graph("s>a a>b b>a b>t"))).toEqual({ order: ["s"], blocked: ["a", "b", "t"] });
  });
});

describe("cycles", () => {
  it.each([
    ["none", "a>b b>c", []],
    ["a triangle, from its first vertex", "a>b b>c c>a", [["a", "b", "c", "a"]]],
    ["a self-loop", "a>a", [["a", "a"]]],
    ["the shortest way round through the first vertex", "a>b b>c c>d d>a b>a", [["a", "b", "a"]]],
    ["one per component", "a>b b>a c>d d>c", [["a", "b", "a"], ["c", "d", "c"]]],
  ])("%s", (_, spec, cycles) => {
    expect(findCycles(graph(spec))).toEqual(cycles);
  });

  it("strongly connected components group mutually reachable vertices", () => {
    const sets = stronglyConnectedComponents(graph("a>b b>a b>c")).map((c) => c.sort());
    expect(sets).toEqual([["c"], ["a", "b"]]);
  });

  it("a chain of 100000 vertices does not overflow the stack", () => {
    const g = new Digraph();
    for (let i = 0; i < 100_000; i++) g.addEdge(`v${i}`, `v${i + 1}`);
    expect(findCycles(g)).toEqual([]);
  });
});

describe("reverse and transitive closure", () => {
  it("reverse turns every edge round and keeps isolated vertices", () => {
    const r = reverseGraph(graph("a>b b>c", "z"));
    expect(r.edges().sort()).toEqual([["b", "a"], ["c", "b"]]);
    expect(r.hasVertex("z")).toBe(true);
  });

  const g = graph("a>b b>c x>c c>d");
  it.each([
    ["what c depends on", () => transitiveDependencies(g, "c"), ["a", "b", "x"]],
    ["what depends on b", () => transitiveDependents(g, "b"), ["c", "d"]],
    ["nothing for a source", () => transitiveDependencies(g, "a"), []],
  ])("%s", (_, f, expected) => {
    expect([...f()].sort()).toEqual(expected);
  });
});
