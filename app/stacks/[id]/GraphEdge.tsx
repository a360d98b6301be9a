"use client";
import { memo } from "react";
import { getSmoothStepPath, type Edge, type EdgeProps } from "@xyflow/react";
import { LAYER_GAP } from "../../lib/graphLayout";
import { edgeState } from "./graphStates";
import { useResource } from "./resourceChanges";

/**
 * `corners`: the line's way through the gaps of fan-outs' grids (see routeThroughFolds), when
 * either end is in one; else it turns in the middle of the gap before the target's layer, clear
 * of anything wider in the source's layer.
 */
export type DependencyEdge = Edge<{ corners?: [number, number][] }, "dependency">;

/**
 * A dependency edge, from a resource to one that needs it. It is grey while the dependent
 * waits, lights up once the dependency has completed (its sync point is satisfied and its data
 * can flow), and is dashed while the dependent is being worked on. It follows both ends itself, so
 * status changes never rebuild the graph's edge list.
 */
export const GraphEdge = memo(function GraphEdge({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<DependencyEdge>) {
  const from = useResource(source);
  const to = useResource(target);
  const path = data?.corners
    ? `M ${sourceX} ${sourceY} ${data.corners.map(([x, y]) => `L ${x} ${y}`).join(" ")} L ${targetX} ${targetY}`
    : getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, centerX: targetX - LAYER_GAP / 2 })[0];
  const state = edgeState(from, to);
  return (
    <g className={`gedge gedge-${state}`} data-edge={id} data-state={state}>
      <path className="gedge-line" d={path} fill="none" />
      <path className="gedge-head" d={`M ${targetX - 9} ${targetY - 5} L ${targetX} ${targetY} L ${targetX - 9} ${targetY + 5} Z`} />
    </g>
  );
});
