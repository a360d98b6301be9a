/** Node placement: layered auto-layout on demand (elkjs), manual positions remembered per template. */
import { LARGE_GRAPH, loadElk } from "../../lib/elk";
import { quickLayout } from "../../lib/quickLayout";

export type Point = { x: number; y: number };
export type Positions = Record<string, Point>;

export const NODE_W = 200;
export const NODE_H = 66;

export type Direction = "RIGHT" | "DOWN";

/** Dependencies first: left to right as the stack page draws a stack, or top down on a narrow canvas. */
export async function layeredLayout(names: readonly string[], edges: readonly { from: string; to: string }[], direction: Direction = "RIGHT"): Promise<Positions> {
  const known = new Set(names);
  if (names.length > LARGE_GRAPH) {
    const down = direction === "DOWN";
    const boxes = quickLayout([...names], edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to).map((e) => [e.from, e.to]), down ? { w: NODE_H, h: NODE_W, gapX: 44, gapY: 28 } : { w: NODE_W, h: NODE_H, gapX: 64, gapY: 28 });
    return Object.fromEntries([...boxes].map(([name, b]) => [name, down ? { x: b.y, y: b.x } : { x: b.x, y: b.y }]));
  }
  const out = await (await loadElk()).layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": direction,
      "elk.layered.spacing.nodeNodeBetweenLayers": direction === "RIGHT" ? "64" : "44",
      "elk.spacing.nodeNode": "28",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: names.map((id) => ({ id, width: NODE_W, height: NODE_H })),
    edges: edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to).map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const positions: Positions = {};
  for (const c of out.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return positions;
}

/** A free spot for a node with no remembered position: below everything already placed. */
export function nextFreeSpot(positions: Positions): Point {
  const ys = Object.values(positions);
  if (!ys.length) return { x: 40, y: 40 };
  const minX = Math.min(...ys.map((p) => p.x));
  return { x: minX, y: Math.max(...ys.map((p) => p.y)) + NODE_H + 28 };
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
