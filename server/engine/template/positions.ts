import { isMap, isPair, isScalar, isSeq, LineCounter, type Node } from "yaml";
import type { Diagnostic } from "../diagnostics";

export interface Position {
  line: number;
  column: number;
}

/** Dotted template path (`resources.web.properties.port`, list items by index) → where it starts in the source. */
export interface PositionIndex {
  get(path: string): Position | undefined;
}

export const joinPath = (base: string, key: string | number): string => (base === "" ? String(key) : `${base}.${key}`);

/**
 * Map entries are indexed at their key, so an error about an entry points at the line that
 * names it; list items at the item itself.
 */
export function indexPositions(root: Node | null | undefined, lines: LineCounter): Map<string, Position> {
  const index = new Map<string, Position>();
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = joinPath(path, key);
        const pos = at((pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0]);
        if (pos && !index.has(childPath)) index.set(childPath, pos);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const childPath = joinPath(path, i);
        const pos = at((item as Node | null)?.range?.[0]);
        if (pos) index.set(childPath, pos);
        walk(item, childPath);
      });
    }
  };
  const rootPos = at(root?.range?.[0]);
  if (rootPos) index.set("", rootPos);
  walk(root, "");
  return index;
}

/**
 * Fills line/column (and file) into diagnostics that carry only a path, using the nearest
 * indexed ancestor when the exact path has no node (a value produced by a function, say).
 */
export function locate(diagnostics: Diagnostic[], index: PositionIndex, file?: string): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.line !== undefined) return d;
    let path = d.path;
    for (;;) {
      const pos = index.get(path);
      if (pos) return { ...d, line: pos.line, column: pos.column, ...(file !== undefined && d.file === undefined ? { file } : {}) };
      if (path === "") return file !== undefined && d.file === undefined ? { ...d, file } : d;
      const cut = path.lastIndexOf(".");
      path = cut < 0 ? "" : path.slice(0, cut);
    }
  });
}
