"use client";
import { useCallback, useEffect, useState } from "react";

/**
 * Windowing for a scrolling list of fixed-height rows: only rows in view (plus `overscan`
 * either side) are rendered, so a list of thousands costs what a screenful does. `ref` goes on
 * the scrolling element, `onScroll` on its scroll event. `atEnd` (a list that follows its
 * newest rows) windows the last rows at once, without waiting for the scroll event that
 * follows setting scrollTop: a fast stream would otherwise outrun its window.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 8, atEnd = false) {
  const [element, ref] = useState<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useEffect(() => {
    if (!element) return;
    const ro = new ResizeObserver(() => setHeight(element.clientHeight));
    ro.observe(element);
    setHeight(element.clientHeight);
    return () => ro.disconnect();
  }, [element]);

  const onScroll = useCallback(() => setScrollTop(element?.scrollTop ?? 0), [element]);
  const top = atEnd ? Math.max(0, count * rowHeight - height) : scrollTop;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  return { element, ref, onScroll, first, last, totalHeight: count * rowHeight, viewTop: top, viewHeight: height };
}
