/**
 * A layered layout in linear time for graphs too large for elk on the main thread: each node
 * goes in the layer of its longest chain of dependencies, rows in the order given, edges left
 * to right as in the elk layout. So that the whole graph fits a screen, a tall layer wraps
 * into several columns, with a wider gap between layers than between a layer's columns, so
 * each layer reads as a block. Only when wrapping cannot bring the drawing near `aspect`
 * (width / height), as with long chains, does the run of layers fold into bands, one under the
 * other like lines of text; a fold is the one place where an edge turns back left.
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
    { cellW, cellH, bandGap, layerGap: size.gapX },
    size.aspect ?? 1.6,
  );
  const out = new Map<string, Box>();
  let column = 0;
  layers.forEach((layer, depth) => {
    // Unfolded, each layer starts a gap further right than its columns alone would put it.
    const shift = perBand === Infinity ? depth * size.gapX : 0;
    layer.forEach((key, i) => {
      const c = column + Math.floor(i / rows);
      const band = Math.floor(c / perBand);
      out.set(key, { x: (c % perBand) * cellW + shift, y: band * (rows * cellH + bandGap) + (i % rows) * cellH, w: size.w, h: size.h });
    });
    column += Math.ceil(layer.length / rows);
  });
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

/**
 * Rows per column, and columns per band (Infinity: no fold), that bring the drawing's shape
 * closest to `aspect`; a shape without folds is taken whenever one comes within twice or half
 * of it, since a fold sends edges back left.
 */
function bestShape(
  layerSizes: number[],
  { cellW, cellH, bandGap, layerGap }: { cellW: number; cellH: number; bandGap: number; layerGap: number },
  aspect: number,
): { rows: number; perBand: number } {
  const tallest = Math.max(1, ...layerSizes);
  const miss = (width: number, height: number) => Math.abs(Math.log(width / height / aspect));
  const columnsOf = (rows: number) => layerSizes.reduce((n, s) => n + Math.ceil(s / rows), 0);
  const unfoldedWidth = (rows: number) => columnsOf(rows) * cellW + (layerSizes.length - 1) * layerGap;
  // Unwrapped and unfolded, every chain reads as a row: keep that whenever it roughly fits.
  if (miss(unfoldedWidth(tallest), tallest * cellH) <= Math.log(3)) return { rows: tallest, perBand: Infinity };
  let unfolded = { rows: tallest, miss: Infinity };
  for (let rows = 1; rows <= tallest; rows++) {
    const m = miss(unfoldedWidth(rows), rows * cellH);
    if (m < unfolded.miss - 1e-9) unfolded = { rows, miss: m };
  }
  if (unfolded.miss <= Math.log(2)) return { rows: unfolded.rows, perBand: Infinity };
  let best = { rows: unfolded.rows, perBand: Infinity, miss: unfolded.miss };
  for (let rows = 1; rows <= tallest; rows++) {
    const columns = columnsOf(rows);
    const height = rows * cellH;
    // Bands of `perBand` columns: width perBand·cellW, height bands·(height + gap).
    const ideal = Math.sqrt((aspect * columns * (height + bandGap)) / cellW);
    for (const perBand of new Set([Math.floor(ideal), Math.ceil(ideal)].map((p) => Math.min(columns, Math.max(1, p))))) {
      const bands = Math.ceil(columns / perBand);
      const m = miss(perBand * cellW, bands * height + (bands - 1) * bandGap);
      if (m < best.miss - 1e-9) best = { rows, perBand, miss: m };
    }
  }
  return best;
}
