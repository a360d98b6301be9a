"use client";
import { useCallback, useRef } from "react";
import { pasteResources, type Copied } from "../model/clipboard";
import { nextFreeSpot, type Positions } from "../model/layout";

interface Deps {
  /** The template's resources, in order. */
  names: readonly string[];
  selection: ReadonlySet<string>;
  /** The latest template text (the editor's typing included). */
  current: () => string;
  /** One undoable edit of the template; false when it was refused. */
  apply: (edit: (text: string) => string) => boolean;
  setPositions: (update: (p: Positions) => Positions) => void;
  select: (...names: string[]) => void;
}

/**
 * Ctrl+C keeps the selected resources (and the text they were copied from); each Ctrl+V adds
 * copies under fresh names, one undo step, placed a step further from the originals each time,
 * and selects them. Both return whether they did anything.
 */
export function useCopyPaste({ names, selection, current, apply, setPositions, select }: Deps) {
  const clipboard = useRef<{ copied: Copied; pastes: number }>(undefined);
  const copy = useCallback((): boolean => {
    const copied = names.filter((n) => selection.has(n));
    if (!copied.length) return false;
    clipboard.current = { copied: { text: current(), names: copied }, pastes: 0 };
    return true;
  }, [names, selection, current]);
  const paste = useCallback((): boolean => {
    const clip = clipboard.current;
    if (!clip) return false;
    let copies = new Map<string, string>();
    const ok = apply((t) => {
      const pasted = pasteResources(t, clip.copied);
      copies = pasted.names;
      return pasted.text;
    });
    if (!ok) return true;
    const shift = 40 * ++clip.pastes;
    setPositions((p) => {
      const next = { ...p };
      for (const [from, to] of copies) next[to] = p[from] ? { x: p[from].x + shift, y: p[from].y + shift } : nextFreeSpot(next);
      return next;
    });
    select(...copies.values());
    return true;
  }, [apply, setPositions, select]);
  return { copy, paste };
}
