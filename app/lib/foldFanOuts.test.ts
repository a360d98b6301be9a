import { describe, expect, it } from "vitest";
import { blockIds, blockOf, FOLD_AT, foldsOf, gridColumns, layoutEdges, membersAt } from "./foldFanOuts";

const cell = { w: 250, h: 120 };
const top = (keys: string[]) => keys.map((key) => ({ key, level: "" }));
const spokes = (n: number, prefix = "s") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("folding wide fan-outs into grids", () => {
  it("folds the resources that need the same ones and are needed by the same ones, in the order given", () => {
    const members = spokes(30);
    const edges = members.flatMap((m): [string, string][] => [
      ["hub", m],
      [m, "sink"],
    ]);
    const folds = foldsOf(top(["hub", ...members, "sink"]), edges, cell);
    expect(folds).toHaveLength(1);
    expect(folds[0]!.members).toEqual(members);
  });

  it("keeps apart resources that differ in one dependency or one dependent, and folds none below the threshold", () => {
    const a = spokes(FOLD_AT, "a");
    const b = spokes(FOLD_AT - 1, "b");
    const edges: [string, string][] = [...a.map((m): [string, string] => ["hub", m]), ...b.map((m): [string, string] => ["hub", m]), ...b.map((m): [string, string] => [m, "sink"])];
    const folds = foldsOf(top(["hub", ...a, ...b, "sink"]), edges, cell);
    expect(folds.map((f) => f.members)).toEqual([a]);
  });

  it("leaves alone resources connected to nothing, those the caller may not fold, and alike ones on different levels", () => {
    const loose = spokes(20, "loose");
    const members = spokes(10);
    const edges = members.map((m): [string, string] => ["hub", m]);
    expect(foldsOf(top(loose), [], cell)).toEqual([]);
    expect(foldsOf(top(["hub", ...members]), edges, cell, (k) => k !== "s3")[0]!.members).not.toContain("s3");
    const split = [{ key: "hub", level: "" }, ...members.map((key, i) => ({ key, level: i % 2 ? "group" : "" }))];
    expect(foldsOf(split, edges, cell)).toEqual([]);
  });

  it("shapes a fold's grid about as wide as it is tall", () => {
    for (const n of [8, 30, 100, 400]) {
      const cols = gridColumns(n, cell);
      const rows = Math.ceil(n / cols);
      const aspect = (cols * cell.w) / (rows * cell.h);
      expect(aspect, `${n} cells`).toBeGreaterThan(0.6);
      expect(aspect, `${n} cells`).toBeLessThan(1.7);
    }
  });

  it("lays a fold out as one block with one edge per neighbour, and places its members row by row inside it", () => {
    const members = spokes(9);
    const edges = members.map((m): [string, string] => ["hub", m]);
    const folds = foldsOf(top(["hub", ...members]), edges, cell);
    const fold = folds[0]!;
    expect(layoutEdges(edges, blockIds(folds))).toEqual([{ id: `hub->${fold.id}`, sources: ["hub"], targets: [fold.id] }]);
    const placed = new Map(membersAt(fold, { x: 1000, y: 50 }, cell));
    expect(placed.get("s0")).toEqual({ x: 1000, y: 50 });
    expect(placed.get("s1")).toEqual({ x: 1000 + cell.w, y: 50 });
    expect(placed.get(`s${fold.cols}`)).toEqual({ x: 1000, y: 50 + cell.h });
    const block = blockOf(fold, cell, 16);
    for (const p of placed.values()) {
      expect(p.x + cell.w - 16).toBeLessThanOrEqual(1000 + block.width);
      expect(p.y + cell.h - 16).toBeLessThanOrEqual(50 + block.height);
    }
  });
});
