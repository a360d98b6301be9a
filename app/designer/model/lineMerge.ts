/**
 * Keep a hand-written template's untouched lines byte-for-byte.
 *
 * `yaml` re-stringifies a Document in its own canonical layout (flow padding, folded
 * scalars, spacing before comments). Given the original text, the canonical rendering of the
 * unedited Document (baseline) and of the edited one, every region the edit did not touch
 * is copied back from the original, so an edit changes only the lines it is about.
 */
import { commonEnds } from "./commonEnds";

/** Pairs of equal lines (i in a, j in b) of a longest common subsequence, in order. */
export function matchLines(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const { start, endA, endB } = commonEnds(a, b);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < start; i++) pairs.push([i, i]);
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0) {
    if (n * m > 4_000_000) return []; // too large to align cheaply: the caller falls back
    // lengths[(i)*(m+1)+j] = LCS of a[start+i..endA) and b[start+j..endB)
    const w = m + 1;
    const lengths = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * w + j] = a[start + i] === b[start + j] ? lengths[(i + 1) * w + j + 1] + 1 : Math.max(lengths[(i + 1) * w + j], lengths[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        pairs.push([start + i, start + j]);
        i++;
        j++;
      } else if (lengths[(i + 1) * w + j] >= lengths[i * w + j + 1]) i++;
      else j++;
    }
  }
  for (let k = 0; endA + k < a.length; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

/** The edited text, with every region the edit left alone restored to the original's exact text. */
export function mergeFormatting(original: string, baseline: string, edited: string): string {
  if (baseline === original) return edited;
  const T = original.split("\n");
  const B = baseline.split("\n");
  const E = edited.split("\n");
  const bt = matchLines(B, T);
  if (bt.length === 0 && B.length > 1) return edited;
  const bToE = new Int32Array(B.length).fill(-1);
  for (const [i, k] of matchLines(B, E)) bToE[i] = k;
  const eOf = (i: number) => (i < 0 ? -1 : i >= B.length ? E.length : bToE[i]);

  // Anchors are lines equal in baseline and original; between two anchors lies a hunk that
  // differs only in formatting. It is restored when the edit kept every baseline line of the
  // hunk, consecutively (an empty hunk: when both anchors were kept next to each other).
  const anchors: Array<[number, number]> = [[-1, -1], ...bt, [B.length, T.length]];
  const out = E.slice();
  for (let h = anchors.length - 2; h >= 0; h--) {
    const [i0, j0] = anchors[h];
    const [i1, j1] = anchors[h + 1];
    if (i1 - i0 === 1 && j1 - j0 === 1) continue; // no hunk
    if (i1 - i0 === 1) {
      const k0 = eOf(i0);
      const k1 = eOf(i1);
      if ((k0 === -1 && i0 !== -1) || k1 === -1 || k1 - k0 !== 1) continue;
      out.splice(k1, 0, ...T.slice(j0 + 1, j1));
      continue;
    }
    const first = bToE[i0 + 1];
    let kept = first !== -1;
    for (let i = i0 + 2; kept && i < i1; i++) if (bToE[i] !== first + (i - i0 - 1)) kept = false;
    if (!kept) continue;
    out.splice(first, i1 - i0 - 1, ...T.slice(j0 + 1, j1));
  }
  return out.join("\n");
}
