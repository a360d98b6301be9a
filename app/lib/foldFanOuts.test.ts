import { describe, expect, it } from "vitest";
import { around, blockIds, blockOf, FOLD_AT, foldsOf, gridColumns, layoutEdges, membersAt, routeThroughFolds, type Rect } from "./foldFanOuts";

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

describe("lines into and out of a fan-out's grid", () => {
  const node = { w: 200, h: 80 };
  const gaps = { layer: 56, cell: 20 };
  const pitch = { w: node.w + gaps.cell, h: node.h + gaps.cell };
  const fold = foldsOf(top(["hub", ...spokes(12), "sink"]), spokes(12).flatMap((m): [string, string][] => [["hub", m], [m, "sink"]]), pitch)[0]!;
  const members = new Map(membersAt(fold, { x: 300, y: 0 }, pitch).map(([m, p]): [string, Rect] => [m, { ...p, ...node }]));
  const grid = around([...members.values()]);
  const hub: Rect = { x: 0, y: grid.y + grid.h / 2 - node.h / 2, ...node };
  const sink: Rect = { x: grid.x + grid.w + gaps.layer, y: hub.y, ...node };

  /** The points of a line, from the source's right side to the target's left side, through its corners. */
  const line = (from: Rect, to: Rect, corners: [number, number][]) => [[from.x + from.w, from.y + from.h / 2], ...corners, [to.x, to.y + to.h / 2]] as [number, number][];
  /** Whether the segment a–b passes through the inside of `r` (its border excepted). */
  const crosses = ([ax, ay]: [number, number], [bx, by]: [number, number], r: Rect) =>
    Math.max(ax, bx) > r.x && Math.min(ax, bx) < r.x + r.w && Math.max(ay, by) > r.y && Math.min(ay, by) < r.y + r.h;

  it("runs only in the gaps between the grid's rows and columns, and ends on the member's left side", () => {
    expect(fold.cols).toBeGreaterThan(1);
    for (const [name, member] of members) {
      for (const [from, to, corners] of [
        [hub, member, routeThroughFolds(hub, member, undefined, grid, gaps)],
        [member, sink, routeThroughFolds(member, sink, grid, undefined, gaps)],
      ] as const) {
        const points = line(from, to, corners);
        for (let i = 1; i < points.length; i++) {
          const [a, b] = [points[i - 1]!, points[i]!];
          expect(a[0] === b[0] || a[1] === b[1], `${name}: segments are straight`).toBe(true);
          for (const [other, box] of members) expect(crosses(a, b, box), `${name}'s line crosses ${other}`).toBe(false);
        }
      }
    }
  });
});
