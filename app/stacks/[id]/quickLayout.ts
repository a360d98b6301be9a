/**
 * A layered layout in linear time for graphs too large for elk on the main thread: each node
 * goes in the column of its longest chain of dependencies, rows in the order given. Edges run
 * left to right, as in the elk layout.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function quickLayout(keys: string[], edges: [string, string][], size: { w: number; h: number; gapX: number; gapY: number }): Map<string, Box> {
  const incoming = new Map<string, string[]>();
  for (const [from, to] of edges) incoming.set(to, [...(incoming.get(to) ?? []), from]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0; // a cycle cannot deploy, but must not hang the page
    visiting.add(key);
    let d = 0;
    for (const from of incoming.get(key) ?? []) d = Math.max(d, depthOf(from) + 1);
    visiting.delete(key);
    depth.set(key, d);
    return d;
  };
  const rows = new Map<number, number>();
  const out = new Map<string, Box>();
  for (const key of keys) {
    const column = depthOf(key);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    out.set(key, { x: column * (size.w + size.gapX), y: row * (size.h + size.gapY), w: size.w, h: size.h });
  }
  return out;
}
