"use client";
import { useState } from "react";

/**
 * A hover text made when the pointer first reaches the element, not when it is drawn: the
 * element's `title` and the handler that puts it in. A thousand rows drawn cost no text until
 * one is pointed at, and the first paint makes no date formatter.
 */
export function useHoverTitle(text: () => string): { title?: string; onPointerEnter?: () => void } {
  const [pointedAt, setPointedAt] = useState(false);
  return pointedAt ? { title: text() } : { onPointerEnter: () => setPointedAt(true) };
}
