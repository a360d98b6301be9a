/**
 * A layered layout in linear time for graphs too large for elk on the main thread: each node
 * goes in the layer of its longest chain of dependencies, rows in the order given, edges left
 * to right as in the elk layout. So that the whole graph fits a screen, a tall layer wraps
 * into several columns and a long run of layers folds into bands, one under the other, with
 * the wrap and the fold chosen to bring the drawing closest to `aspect` (width / height).
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Size {
  w: number;
  h: number;
  gapX: number;
  gapY: number;
  /** Wanted width / height of the whole drawing. */
  aspect?: number;
}

export function quickLayout(keys: string[], edges: [string, string][], size: Size): Map<string, Box> {
  const layers = layersOf(keys, edges);
  const cellW = size.w + size.gapX;
  const cellH = size.h + size.gapY;
  const bandGap = 2 * cellH;
  const { rows, perBand } = bestShape(
    layers.map((l) => l.length),
    cellW,
    cellH,
    bandGap,
    size.aspect ?? 1.6,
  );
  const out = new Map<string, Box>();
  let column = 0;
  for (const layer of layers) {
    layer.forEach((key, i) => {
      const c = column + Math.floor(i / rows);
      const band = Math.floor(c / perBand);
      out.set(key, { x: (c % perBand) * cellW, y: band * (rows * cellH + bandGap) + (i % rows) * cellH, w: size.w, h: size.h });
    });
    column += Math.ceil(layer.length / rows);
  }
  return out;
}

/** Keys grouped by the length of their longest chain of dependencies, in the order given. */
function layersOf(keys: string[], edges: [string, string][]): string[][] {
  const incoming = new Map<string, string[]>();
  for (const [from, to] of edges) {
    const list = incoming.get(to);
    if (list) list.push(from);
    else incoming.set(to, [from]);
  }
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
  const layers: string[][] = [];
  for (const key of keys) (layers[depthOf(key)] ??= []).push(key);
  return layers.filter(Boolean);
}

/** Rows per column and columns per band that bring the drawing's shape closest to `aspect`. */
function bestShape(layerSizes: number[], cellW: number, cellH: number, bandGap: number, aspect: number) {
  const tallest = Math.max(1, ...layerSizes);
  // Unwrapped and unfolded, every chain reads as a row: keep that whenever it roughly fits.
  const natural = (layerSizes.length * cellW) / (tallest * cellH);
  if (Math.abs(Math.log(natural / aspect)) <= Math.log(3)) return { rows: tallest, perBand: layerSizes.length };
  let best = { rows: tallest, perBand: Number.MAX_SAFE_INTEGER, miss: Infinity };
  for (let rows = 1; rows <= tallest; rows++) {
    const columns = layerSizes.reduce((n, s) => n + Math.ceil(s / rows), 0);
    const height = Math.min(rows, tallest) * cellH;
    // Bands of `perBand` columns: width perBand·cellW, height bands·(height + gap).
    const ideal = Math.sqrt((aspect * columns * (height + bandGap)) / cellW);
    for (const perBand of new Set([Math.floor(ideal), Math.ceil(ideal), columns].map((p) => Math.min(columns, Math.max(1, p))))) {
      const bands = Math.ceil(columns / perBand);
      const shape = (perBand * cellW) / (bands * height + (bands - 1) * bandGap);
      const miss = Math.abs(Math.log(shape / aspect));
      if (miss < best.miss - 1e-9) best = { rows, perBand, miss };
    }
  }
  return best;
}
