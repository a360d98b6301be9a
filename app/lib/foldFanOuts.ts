/**
 * Wide fan-outs drawn as grids. A layered layout puts every resource of a layer in one column:
 * beside a resource that thirty others need, a column thirty nodes tall, which fitted to the
 * screen is too small to read. Resources of one level that need the same resources and are
 * needed by the same ones (a fan-out's members: alike, and with no edge among them) are laid out
 * as one block the size of a grid of them, and placed in that grid afterwards.
 */

/** The fewest alike resources folded into a grid: fewer stay in their column. */
export const FOLD_AT = 8;

export interface Fold {
  /** The block's id in the layout: never a resource's key. */
  id: string;
  /** In the order given. */
  members: string[];
  cols: number;
}

/**
 * The folds of a graph. `nodes`: each key with its level (the nested stack it is drawn in);
 * `edges`: dependency → dependent, within a level; `foldable` says which keys may be folded (an
 * open nested stack, drawn as a box of its own size, may not). Resources connected to nothing are
 * left alone: the layout already packs those side by side.
 */
export function foldsOf(
  nodes: readonly { key: string; level: string }[],
  edges: readonly (readonly [string, string])[],
  cell: { w: number; h: number },
  foldable: (key: string) => boolean = () => true,
): Fold[] {
  const needs = new Map<string, string[]>();
  const neededBy = new Map<string, string[]>();
  for (const [from, to] of edges) {
    (needs.get(to) ?? needs.set(to, []).get(to)!).push(from);
    (neededBy.get(from) ?? neededBy.set(from, []).get(from)!).push(to);
  }
  const alike = new Map<string, string[]>();
  for (const { key, level } of nodes) {
    const before = needs.get(key) ?? [];
    const after = neededBy.get(key) ?? [];
    if (!before.length && !after.length) continue;
    if (!foldable(key)) continue;
    const signature = JSON.stringify([level, [...before].sort(), [...after].sort()]);
    (alike.get(signature) ?? alike.set(signature, []).get(signature)!).push(key);
  }
  return [...alike.values()].filter((members) => members.length >= FOLD_AT).map((members) => ({ id: `\u0000fold:${members[0]}`, members, cols: gridColumns(members.length, cell) }));
}

/** Columns for a grid of `n` cells about as wide as it is tall. */
export function gridColumns(n: number, cell: { w: number; h: number }): number {
  return Math.max(1, Math.min(n, Math.round(Math.sqrt((n * cell.h) / cell.w))));
}

/** The id standing for each folded key in the layout: its fold's block. */
export function blockIds(folds: readonly Fold[]): Map<string, Fold> {
  return new Map(folds.flatMap((f) => f.members.map((m) => [m, f] as const)));
}

/** The layout's edges: a fold's members share theirs, one each for the block. */
export function layoutEdges(edges: readonly (readonly [string, string])[], folded: ReadonlyMap<string, Fold>) {
  const idOf = (key: string) => folded.get(key)?.id ?? key;
  const out = new Map<string, { id: string; sources: [string]; targets: [string] }>();
  for (const [from, to] of edges) {
    const id = `${idOf(from)}->${idOf(to)}`;
    if (!out.has(id)) out.set(id, { id, sources: [idOf(from)], targets: [idOf(to)] });
  }
  return [...out.values()];
}

/** Where each member of a fold sits, its block laid out at `block`: row by row, in the order given. */
export function membersAt(fold: Fold, block: { x: number; y: number }, cell: { w: number; h: number }): [string, { x: number; y: number }][] {
  return fold.members.map((m, i) => [m, { x: block.x + (i % fold.cols) * cell.w, y: block.y + Math.floor(i / fold.cols) * cell.h }]);
}

/** The size of a fold's block: its grid, without the gap after the last cell. */
export function blockOf(fold: Fold, cell: { w: number; h: number }, gap: number) {
  const rows = Math.ceil(fold.members.length / fold.cols);
  return { width: fold.cols * cell.w - gap, height: rows * cell.h - gap };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The box around `rects`. */
export function around(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return { x, y, w: Math.max(...rects.map((r) => r.x + r.w)) - x, h: Math.max(...rects.map((r) => r.y + r.h)) - y };
}

/**
 * The corners of a dependency's line from `from` (its right side) to `to` (its left side) when
 * either is in a fold's grid (`fromFold`, `toFold`: the grids' boxes), so that inside a grid the
 * line runs only in the gaps between its rows and columns, never behind a row, where it would
 * read as one member feeding the next. Out of a grid: down the gap right of its member's column
 * to the gap under its row, along it out of the grid; into a grid: in the gap before it, then
 * along the gap above the member's row to the gap left of its column, and into it.
 * `gaps.layer`: between layers; `gaps.cell`: between a grid's rows and columns.
 */
export function routeThroughFolds(from: Rect, to: Rect, fromFold: Rect | undefined, toFold: Rect | undefined, gaps: { layer: number; cell: number }): [number, number][] {
  const corners: [number, number][] = [];
  let y = from.y + from.h / 2;
  const toY = to.y + to.h / 2;
  if (fromFold) {
    const column = from.x + from.w + gaps.cell / 2;
    const row = from.y + from.h + gaps.cell / 2;
    const out = fromFold.x + fromFold.w + gaps.layer / 2;
    corners.push([column, y], [column, row], [out, row]);
    y = row;
    if (!toFold) return [...corners, [out, toY]];
  }
  if (toFold) {
    const entry = toFold.x - gaps.layer / 2;
    const row = to.y - gaps.cell / 2;
    const column = to.x - gaps.cell / 2;
    corners.push([entry, y], [entry, row], [column, row], [column, toY]);
  }
  return corners;
}
