import { describe, expect, it } from "vitest";
import { quickLayout, type Box } from "./quickLayout";

const size = { w: 100, h: 40, gapX: 50, gapY: 10 };

function bounds(boxes: Map<string, Box>) {
  const all = [...boxes.values()];
  const width = Math.max(...all.map((b) => b.x + b.w)) - Math.min(...all.map((b) => b.x));
  const height = Math.max(...all.map((b) => b.y + b.h)) - Math.min(...all.map((b) => b.y));
  return { width, height, aspect: width / height };
}

const overlapping = (boxes: Map<string, Box>) => new Set([...boxes.values()].map((b) => `${b.x},${b.y}`)).size !== boxes.size;

describe("the quick layout of large graphs", () => {
  it("puts each resource after its deepest dependency, in the order given", () => {
    const boxes = quickLayout(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["a", "c"]], { ...size, aspect: 4.5 });
    expect(boxes.get("a")).toMatchObject({ x: 0, y: 0 });
    expect(boxes.get("d")).toMatchObject({ x: 0, y: 50 });
    expect(boxes.get("b")!.x).toBeGreaterThan(boxes.get("a")!.x);
    expect(boxes.get("c")!.x).toBeGreaterThan(boxes.get("b")!.x);
  });

  it("keeps twenty chains of twenty as twenty rows when that shape fits the screen", () => {
    const keys: string[] = [];
    const edges: [string, string][] = [];
    for (let c = 0; c < 20; c++)
      for (let i = 0; i < 20; i++) {
        keys.push(`c${c}n${i}`);
        if (i) edges.push([`c${c}n${i - 1}`, `c${c}n${i}`]);
      }
    const boxes = quickLayout(keys, edges, size);
    for (let c = 0; c < 20; c++) expect(new Set(Array.from({ length: 20 }, (_, i) => boxes.get(`c${c}n${i}`)!.y)).size).toBe(1);
  });

  it("wraps a 500-wide fan into columns that fit a screen, dependents right of their dependency", () => {
    const keys = ["gate", ...Array.from({ length: 500 }, (_, i) => `r${i}`)];
    const boxes = quickLayout(keys, keys.slice(1).map((k) => ["gate", k] as [string, string]), size);
    const { aspect } = bounds(boxes);
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3.2);
    expect(overlapping(boxes)).toBe(false);
    for (const k of keys.slice(1)) expect(boxes.get(k)!.x).toBeGreaterThan(boxes.get("gate")!.x);
  });

  it("wraps each of three wide layers into a block of its own, every edge running right, rather than folding them into bands", () => {
    // 200 resources, 100 that each need one of them, 2 that need one of those: the shape of a new user's 302-resource stack.
    const first = Array.from({ length: 200 }, (_, i) => `a${i}`);
    const second = Array.from({ length: 100 }, (_, i) => `b${i}`);
    const third = ["c0", "c1"];
    const edges: [string, string][] = [...second.map((b, i) => [first[i]!, b] as [string, string]), ["b0", "c0"], ["b1", "c1"]];
    const boxes = quickLayout([...first, ...second, ...third], edges, size);
    for (const [from, to] of edges) expect(boxes.get(to)!.x).toBeGreaterThan(boxes.get(from)!.x);
    // Every resource of a layer lies left of every resource of the next, a gap wider than between its own columns.
    const xs = (layer: string[]) => layer.map((k) => boxes.get(k)!.x);
    expect(Math.min(...xs(second)) - Math.max(...xs(first))).toBeGreaterThan(size.w + size.gapX);
    expect(Math.min(...xs(third)) - Math.max(...xs(second))).toBeGreaterThan(size.w + size.gapX);
    const { aspect } = bounds(boxes);
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3.2);
    expect(overlapping(boxes)).toBe(false);
  });

  it("folds a 1000-long chain into bands without recursion trouble, and survives a cycle", () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const chain = keys.slice(1).map((k, i) => [keys[i]!, k] as [string, string]);
    const boxes = quickLayout(keys, chain, size);
    expect(boxes.size).toBe(1000);
    expect(overlapping(boxes)).toBe(false);
    const { aspect } = bounds(boxes);
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3.2);
    expect(quickLayout(["x", "y"], [["x", "y"], ["y", "x"]], size).size).toBe(2);
  });
});
