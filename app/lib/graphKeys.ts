/** Moving between graph nodes with the arrow keys: the nearest node that lies in that direction. */
export interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Direction = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight";

export const isArrow = (key: string): key is Direction => key === "ArrowUp" || key === "ArrowDown" || key === "ArrowLeft" || key === "ArrowRight";

/**
 * The node to go to from `from`: among those whose centre lies in the direction, the nearest,
 * a step across the direction counting double (so ArrowRight follows the row before it jumps
 * rows). Undefined at the edge of the graph.
 */
export function nearestInDirection(from: Box, boxes: Box[], dir: Direction): string | undefined {
  const cx = from.x + from.w / 2;
  const cy = from.y + from.h / 2;
  let best: { id: string; score: number } | undefined;
  for (const b of boxes) {
    if (b.id === from.id) continue;
    const dx = b.x + b.w / 2 - cx;
    const dy = b.y + b.h / 2 - cy;
    const [along, across] = dir === "ArrowRight" ? [dx, dy] : dir === "ArrowLeft" ? [-dx, dy] : dir === "ArrowDown" ? [dy, dx] : [-dy, dx];
    if (along <= 0) continue;
    const score = along + 2 * Math.abs(across);
    if (!best || score < best.score) best = { id: b.id, score };
  }
  return best?.id;
}
