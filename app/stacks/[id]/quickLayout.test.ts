import { describe, expect, it } from "vitest";
import { quickLayout } from "./quickLayout";

const size = { w: 100, h: 40, gapX: 50, gapY: 10 };

describe("the quick layout of large graphs", () => {
  it("puts each resource one column after its deepest dependency, stacking each column", () => {
    const boxes = quickLayout(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["a", "c"]], size);
    expect(boxes.get("a")).toMatchObject({ x: 0, y: 0 });
    expect(boxes.get("b")).toMatchObject({ x: 150, y: 0 });
    expect(boxes.get("c")).toMatchObject({ x: 300, y: 0 });
    expect(boxes.get("d")).toMatchObject({ x: 0, y: 50 });
  });

  it("lays out a 1000-long chain without recursion trouble and survives a cycle", () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const chain = keys.slice(1).map((k, i) => [keys[i]!, k] as [string, string]);
    expect(quickLayout(keys, chain, size).get("r999")!.x).toBe(999 * 150);
    expect(quickLayout(["x", "y"], [["x", "y"], ["y", "x"]], size).size).toBe(2);
  });
});
