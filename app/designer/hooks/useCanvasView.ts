"use client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useReactFlow, useStore, useStoreApi, type ReactFlowState } from "@xyflow/react";
import { FAR_READABLE_ZOOM } from "../../components/FarGraph";
import { NODE_H, NODE_W, type Positions } from "../model/layout";
import { nodeId } from "./useFlowElements";

/**
 * Below this zoom a node's own 14px name is under 10.5px on screen: the canvas is drawn as the
 * far drawing, whose names are large (the live view draws it below 0.5, where its nodes hold
 * more to read than a name).
 */
export const FAR_ZOOM = 0.75;
/** Room around the fitted template: the zoom buttons take the left edge's bottom. */
const PAD = 48;
/** Room the find box takes at the canvas' top: the fitted template starts below it. */
const FIND_ROOM = 44;
const MAX_ZOOM = 1.1;
/**
 * A template this small is opened to be edited: as nodes that can be dragged and connected, from
 * its first layers when not all of them fit, never as the far drawing (an overview helps only
 * where there is much to overlook).
 */
const OPENS_EDITABLE = 12;

/** True when some node lies outside the canvas' view: only then is an overview worth its room. */
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
 * text can be read (a small template: where its nodes can be edited), the whole template when it
 * fits, else its first layers; `far` below FAR_ZOOM;
 * `fitted` once it has been fitted (before, it draws nothing: a large template would otherwise be
 * drawn node by node at zoom 1 first); `find` centres and selects a resource.
 */
export function useCanvasView(positions: Positions, placed: boolean, laidOut: number, select: (name: string) => void) {
  const flow = useReactFlow();
  const store = useStoreApi();
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const showOverview = useStore(someOutOfView);
  // Zoomable, and the canvas' size measured (React Flow keeps it): reading it from the page again
  // would have the browser lay out the whole page once more before the first frame.
  const zoomReady = useStore((s) => !!s.panZoom && s.width > 0 && s.height > 0);
  const [fitted, setFitted] = useState(false);
  const latest = useRef(positions);
  latest.current = positions;

  // From the positions, not from measured nodes: the nodes are not drawn before the fit.
  const fitReadable = useCallback(() => {
    const box = store.getState();
    const points = Object.values(latest.current);
    if (!points.length) return;
    const left = Math.min(...points.map((p) => p.x));
    const top = Math.min(...points.map((p) => p.y));
    const width = Math.max(...points.map((p) => p.x)) + NODE_W - left;
    const height = Math.max(...points.map((p) => p.y)) + NODE_H - top;
    const roomH = box.height - FIND_ROOM;
    const middleY = FIND_ROOM + roomH / 2;
    const fits = Math.min(MAX_ZOOM, (box.width - 2 * PAD) / width, (roomH - PAD) / height);
    const least = points.length <= OPENS_EDITABLE ? FAR_ZOOM : FAR_READABLE_ZOOM;
    if (fits >= least) return void flow.setViewport({ x: box.width / 2 - (left + width / 2) * fits, y: middleY - (top + height / 2) * fits, zoom: fits });
    // Too large to show whole at that zoom: at it, starting from the left (the resources the rest depends on).
    const zoom = least;
    void flow.setViewport({ x: PAD - left * zoom, y: Math.max(FIND_ROOM + PAD / 2 - top * zoom, middleY - (top + height / 2) * zoom), zoom });
  }, [store, flow]);

  // Once every resource has its place (before that frame is painted: the browser would otherwise
  // lay out and paint the page once more with the canvas empty), and after each auto-layout.
  useLayoutEffect(() => {
    if (fitted || !placed || !zoomReady) return;
    fitReadable();
    setFitted(true);
  }, [fitted, placed, zoomReady, fitReadable]);
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
  return { far, fitted, showOverview, find };
}
