/** Node placement: the live view's layered layout on demand, manual positions remembered per template. */
import { LARGE_GRAPH, LAYER_GAP, LAYERED_OPTIONS, NODE_GAP, NODE_OPTIONS, loadElk } from "../../lib/graphLayout";
import { blockIds, blockOf, foldsOf, layoutEdges, membersAt } from "../../lib/foldFanOuts";
import { quickLayout } from "../../lib/quickLayout";

export type Point = { x: number; y: number };
export type Positions = Record<string, Point>;

export const NODE_W = 200;
export const NODE_H = 66;
/** A cell of a folded fan-out's grid: a node and the gap after it. */
const FOLD_CELL = { w: NODE_W + NODE_GAP, h: NODE_H + NODE_GAP };

type Link = { from: string; to: string };

const linksAmong = (names: readonly string[], edges: readonly Link[]) => {
  const known = new Set(names);
  return edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
};

/**
 * A large template's layout, at once: in linear time, where elk would take seconds. Undefined
 * for a template small enough for elk (layeredLayout).
 */
export function largeLayout(names: readonly string[], edges: readonly Link[]): Positions | undefined {
  if (names.length <= LARGE_GRAPH) return undefined;
  const boxes = quickLayout([...names], linksAmong(names, edges).map((e) => [e.from, e.to]), { w: NODE_W, h: NODE_H, gapX: LAYER_GAP, gapY: NODE_GAP });
  return Object.fromEntries([...boxes].map(([name, b]) => [name, { x: b.x, y: b.y }]));
}

/** The members of each fan-out auto-layout places in a grid (see foldFanOuts). */
export function fanOuts(names: readonly string[], links: readonly (readonly [string, string])[]): string[][] {
  return foldsOf(names.map((key) => ({ key, level: "" })), links, FOLD_CELL).map((f) => f.members);
}

/** Dependencies first, left to right, spaced as the stack page draws the same stack. */
export async function layeredLayout(names: readonly string[], edges: readonly Link[]): Promise<Positions> {
  const large = largeLayout(names, edges);
  if (large) return large;
  const links = linksAmong(names, edges).map((e): [string, string] => [e.from, e.to]);
  // A wide fan-out is drawn as a grid, as the stack page draws it (see foldFanOuts).
  const folds = foldsOf(names.map((key) => ({ key, level: "" })), links, FOLD_CELL);
  const folded = blockIds(folds);
  const out = await (await loadElk()).layout({
    id: "root",
    layoutOptions: LAYERED_OPTIONS,
    children: [
      ...names.filter((id) => !folded.has(id)).map((id) => ({ id, width: NODE_W, height: NODE_H, layoutOptions: NODE_OPTIONS })),
      ...folds.map((f) => ({ id: f.id, ...blockOf(f, FOLD_CELL, NODE_GAP), layoutOptions: NODE_OPTIONS })),
    ],
    edges: layoutEdges(links, folded),
  });
  const positions: Positions = {};
  const foldById = new Map(folds.map((f) => [f.id, f]));
  for (const c of out.children ?? []) {
    const fold = foldById.get(c.id);
    const at = { x: c.x ?? 0, y: c.y ?? 0 };
    if (fold) for (const [m, p] of membersAt(fold, at, FOLD_CELL)) positions[m] = p;
    else positions[c.id] = at;
  }
  return positions;
}

/** A free spot for a node with no remembered position: below everything already placed. */
export function nextFreeSpot(positions: Positions): Point {
  const ys = Object.values(positions);
  if (!ys.length) return { x: 40, y: 40 };
  const minX = Math.min(...ys.map((p) => p.x));
  return { x: minX, y: Math.max(...ys.map((p) => p.y)) + NODE_H + NODE_GAP };
}

const storageKey = (key: string) => `kiln.designer.positions.${key}`;

export function loadPositions(key: string): Positions {
  try {
    const raw = localStorage.getItem(storageKey(key));
    return raw ? (JSON.parse(raw) as Positions) : {};
  } catch {
    return {};
  }
}

export function savePositions(key: string, positions: Positions) {
  try {
    localStorage.setItem(storageKey(key), JSON.stringify(positions));
  } catch {
    /* storage full or disabled: positions live for this visit only */
  }
}
