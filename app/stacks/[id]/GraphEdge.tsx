"use client";
import { memo } from "react";
import { getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { toneOf } from "../../lib/status";
import { useResource } from "./resourceChanges";
import type { LiveResource } from "./useLiveStack";

/** Active while the dependent is worked on, satisfied once the dependency has completed. */
export function edgeState(from: LiveResource | undefined, to: LiveResource | undefined): "active" | "satisfied" | "waiting" {
  if (to?.status === "IN_PROGRESS") return "active";
  return from && toneOf(from.status, from.action) === "complete" ? "satisfied" : "waiting";
}

/**
 * A dependency edge, from a resource to one that needs it. It is grey while the dependent
 * waits, lights up once the dependency has completed (its sync point is satisfied and its data
 * can flow), and is dashed while the dependent is being worked on. It follows both ends itself, so
 * status changes never rebuild the graph's edge list.
 */
export const GraphEdge = memo(function GraphEdge({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition }: EdgeProps) {
  const from = useResource(source);
  const to = useResource(target);
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const state = edgeState(from, to);
  return (
    <g className={`gedge gedge-${state}`} data-edge={id} data-state={state}>
      <path className="gedge-line" d={path} fill="none" />
      <path className="gedge-head" d={`M ${targetX - 9} ${targetY - 5} L ${targetX} ${targetY} L ${targetX - 9} ${targetY + 5} Z`} />
    </g>
  );
});
