/**
 * How far two sequences (texts, lists of lines) agree from their start and from their end: they
 * differ only in `a[start, endA)` and `b[start, endB)`; the two ends never overlap.
 */
export function commonEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): { start: number; endA: number; endB: number } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, endA, endB };
}
