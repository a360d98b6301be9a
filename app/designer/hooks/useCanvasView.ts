"use client";
import { useCallback, useEffect, useRef, type RefObject } from "react";
import { useNodesInitialized, useReactFlow, useStore, type ReactFlowState } from "@xyflow/react";
import { NODE_H, NODE_W } from "../model/layout";
import { nodeId } from "./useFlowElements";

/** The smallest zoom the canvas opens at: with the compact node form, names still read at ~10px. */
export const READABLE_ZOOM = 0.45;
/** Below this zoom nodes show their name only, larger (the live view shows its far form below 0.5). */
export const COMPACT_ZOOM = 0.75;
const PAD = 32;
const MAX_ZOOM = 1.1;

/** True when some node lies outside the canvas' view: only then is a minimap worth its corner. */
const someOutOfView = (s: ReactFlowState) => {
  const [tx, ty, zoom] = s.transform;
  for (const n of s.nodeLookup.values()) {
    const { x, y } = n.internals.positionAbsolute;
    const w = n.measured.width ?? NODE_W;
    const h = n.measured.height ?? NODE_H;
    if (x * zoom + tx < 0 || y * zoom + ty < 0 || (x + w) * zoom + tx > s.width || (y + h) * zoom + ty > s.height) return true;
  }
  return false;
};

/**
 * How the canvas is looked at: it opens (and re-fits after an auto-layout) at a zoom where the
 * text can be read, the whole template when it fits, else its first layers; `compact` below
 * COMPACT_ZOOM; `find` centres and selects a resource.
 */
export function useCanvasView(canvasRef: RefObject<HTMLDivElement | null>, laidOut: number, select: (name: string) => void) {
  const flow = useReactFlow();
  const compact = useStore((s) => s.transform[2] < COMPACT_ZOOM);
  const showMiniMap = useStore(someOutOfView);

  const fitReadable = useCallback(() => {
    const box = canvasRef.current?.getBoundingClientRect();
    const all = flow.getNodes();
    if (!box || !all.length) return;
    const b = flow.getNodesBounds(all);
    const zoom = Math.min(MAX_ZOOM, (box.width - 2 * PAD) / Math.max(b.width, 1), (box.height - 2 * PAD) / Math.max(b.height, 1));
    if (zoom >= READABLE_ZOOM) return void flow.fitView({ padding: 0.15, maxZoom: MAX_ZOOM });
    // Too large to read whole: readable, starting from the left (the resources the rest depends on).
    void flow.setViewport({ x: PAD - b.x * READABLE_ZOOM, y: Math.max(PAD - b.y * READABLE_ZOOM, box.height / 2 - (b.y + b.height / 2) * READABLE_ZOOM), zoom: READABLE_ZOOM });
  }, [canvasRef, flow]);

  // Once when the first nodes are measured, and after each auto-layout.
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!initialized || fitted.current) return;
    fitted.current = true;
    fitReadable();
  }, [initialized, fitReadable]);
  useEffect(() => {
    if (!laidOut) return;
    // Once React Flow has the new positions: the frame after they were rendered.
    const t = requestAnimationFrame(fitReadable);
    return () => cancelAnimationFrame(t);
  }, [laidOut, fitReadable]);

  const find = useCallback(
    (name: string): boolean => {
      const node = flow.getNode(nodeId(name));
      if (!node) return false;
      const w = node.measured?.width ?? NODE_W;
      const h = node.measured?.height ?? NODE_H;
      select(name);
      void flow.setCenter(node.position.x + w / 2, node.position.y + h / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
      return true;
    },
    [flow, select],
  );
  return { compact, showMiniMap, find };
}
