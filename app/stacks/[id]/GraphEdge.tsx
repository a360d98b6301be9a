"use client";
import { memo } from "react";
import { getSmoothStepPath, type Edge, type EdgeProps } from "@xyflow/react";
import { edgeState } from "./graphStates";
import { useResource } from "./resourceChanges";

/** Where an edge turns, when not halfway: `by` past its source, or short of its target. */
export type EdgeTurn = { at: "source" | "target"; by: number };

/**
 * A dependency edge, from a resource to one that needs it. It is grey while the dependent
 * waits, lights up once the dependency has completed (its sync point is satisfied and its data
 * can flow), and is dashed while the dependent is being worked on. It follows both ends itself, so
 * status changes never rebuild the graph's edge list.
 */
export const GraphEdge = memo(function GraphEdge({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<Edge<{ turn?: EdgeTurn }>>) {
  const from = useResource(source);
  const to = useResource(target);
  const turn = data?.turn;
  const centerX = turn && (turn.at === "target" ? targetX - turn.by : sourceX + turn.by);
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, centerX });
  const state = edgeState(from, to);
  return (
    <g className={`gedge gedge-${state}`} data-edge={id} data-state={state}>
      <path className="gedge-line" d={path} fill="none" />
      <path className="gedge-head" d={`M ${targetX - 9} ${targetY - 5} L ${targetX} ${targetY} L ${targetX - 9} ${targetY + 5} Z`} />
    </g>
  );
});
