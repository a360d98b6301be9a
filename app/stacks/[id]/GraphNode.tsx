"use client";
import Link from "next/link";
import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { toneOf } from "../../lib/status";
import { resourceTitle } from "./graphStates";
import { Elapsed } from "./Elapsed";
import { useResource } from "./resourceChanges";
import { AgentLine } from "./AgentState";

export interface GraphNodeData extends Record<string, unknown> {
  key: string;
  childCount: number;
  expanded: boolean;
  onToggle: (key: string) => void;
}
export type GraphNodeType = Node<GraphNodeData, "resource">;

/**
 * One resource: name, type, state as text, a colour, how long its action took or is taking, the
 * cloud's own state of its object, and a mark when that object drifted from what Kiln applied.
 * It follows its own resource, so a status change redraws this node and nothing else.
 */
export const GraphNode = memo(function GraphNode({ data, selected }: NodeProps<GraphNodeType>) {
  const { key, childCount, expanded, onToggle } = data;
  const r = useResource(key);
  if (!r) return null;
  const tone = toneOf(r.status, r.action);
  const state = `${r.action}_${r.status}`;
  const title = resourceTitle(r);
  // A failure the resource has since moved on from (rolled back, deleted) is still the story.
  const cause = r.status !== "FAILED" && r.failure;
  // Drift says more than a check's failure ("gone from the cloud"), so it takes the reason's place.
  const drift = r.drift ?? [];
  return (
    <div
      className={`rnode rnode-${tone}${cause ? " rnode-had-failure" : ""}${drift.length ? " rnode-drifted" : ""}${selected ? " rnode-selected" : ""}${expanded ? " rnode-group" : ""}`}
      data-testid="graph-node"
      data-resource={r.key}
      data-status={state}
      title={title}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="rnode-head">
        <span className="rnode-name">{r.name}</span>
        {childCount > 0 && (
          <button
            type="button"
            className="rnode-toggle nodrag"
            onClick={(e) => {
              e.stopPropagation();
              onToggle(r.key);
            }}
            aria-expanded={expanded}
            title={expanded ? "Collapse the nested stack" : "Show the nested stack's resources"}
          >
            {expanded ? "−" : "+"} {childCount}
          </button>
        )}
        {r.nestedStackId && (
          <Link className="rnode-open nodrag" href={`/stacks/${r.nestedStackId}`} onClick={(e) => e.stopPropagation()} title="Open the nested stack on its own page">
            open
          </Link>
        )}
      </div>
      <div className="rnode-type-row">
        <span className="rnode-type">{r.type}</span>
        {r.cloudState && (
          <span className="rnode-cloud" data-testid="cloud-state" title={`The cloud says ${r.cloudState}`}>
            {r.cloudState}
          </span>
        )}
      </div>
      <div className="rnode-status">
        <span className="rnode-dot" aria-hidden />
        <span className="rnode-state">{state}</span>
        <Elapsed startedAt={r.startedAt} endedAt={r.endedAt} running={r.status === "IN_PROGRESS"} />
      </div>
      {r.physicalId && <AgentLine agent={r.agent} />}
      {drift.length > 0 && (
        <div className="rnode-drift" data-testid="node-drift" title={drift.join("\n")}>
          Drifted: {drift[0]}
          {drift.length > 1 && ` (+${drift.length - 1})`}
        </div>
      )}
      {!drift.length && r.status === "FAILED" && r.reason && (
        <div className="rnode-reason" data-testid="node-reason">
          {r.reason}
        </div>
      )}
      {cause && (
        <div className="rnode-reason" data-testid="node-reason">
          {cause.action}_FAILED: {cause.reason}
        </div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
