"use client";
import { memo, useMemo } from "react";
import { useStore, useStoreApi } from "@xyflow/react";
import { NODE_H, NODE_W } from "../model/layout";

export interface OverviewBox {
  x: number;
  y: number;
  bad: boolean;
}

/** Room around the template in the overview, in the flow's units. */
const MARGIN = 120;

/**
 * The whole template in small, with the part the canvas shows outlined; a click or a drag on it
 * moves the view there. It sits beside the canvas, not over it, so it never hides a node
 * wherever the canvas is panned (React Flow's minimap overlays the canvas, and draws no node
 * that the far drawing stands in for).
 */
export const Overview = memo(function Overview({ boxes }: { boxes: OverviewBox[] }) {
  const store = useStoreApi();
  const bounds = useMemo(() => {
    const xs = boxes.map((b) => b.x);
    const ys = boxes.map((b) => b.y);
    const x = Math.min(...xs) - MARGIN;
    const y = Math.min(...ys) - MARGIN;
    return { x, y, w: Math.max(...xs) + NODE_W + MARGIN - x, h: Math.max(...ys) + NODE_H + MARGIN - y };
  }, [boxes]);
  // The view's rectangle in the flow's units, as a string: the overview redraws only when it moves.
  const view = useStore((s) => {
    const [tx, ty, zoom] = s.transform;
    return [-tx / zoom, -ty / zoom, s.width / zoom, s.height / zoom].map(Math.round).join(" ");
  });
  const [vx, vy, vw, vh] = view.split(" ").map(Number);

  const moveTo = (e: React.PointerEvent<SVGSVGElement>) => {
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(e.currentTarget.getScreenCTM()!.inverse());
    const { setCenter, transform } = store.getState();
    void setCenter(at.x, at.y, { zoom: transform[2] });
  };
  return (
    <svg
      className="overview"
      data-testid="canvas-overview"
      viewBox={`${bounds.x} ${bounds.y} ${bounds.w} ${bounds.h}`}
      preserveAspectRatio="xMidYMid meet"
      aria-label="Overview of the template: click to move the canvas there"
      role="img"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => e.buttons === 1 && moveTo(e)}
    >
      <OverviewBoxes boxes={boxes} />
      <rect className="overview-view" x={vx} y={vy} width={vw} height={vh} />
    </svg>
  );
});

const OverviewBoxes = memo(function OverviewBoxes({ boxes }: { boxes: OverviewBox[] }) {
  return (
    <g>
      {boxes.map((b, i) => (
        <rect key={i} className={b.bad ? "overview-box overview-bad" : "overview-box"} x={b.x} y={b.y} width={NODE_W} height={NODE_H} rx={8} />
      ))}
    </g>
  );
});
