"use client";
import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";

/** The update preview's lists, in the order its summary counts them. */
export const PREVIEW_CHANGES = ["added", "updated", "replaced", "may_change", "deleted", "unchanged"] as const;
export type PreviewChange = (typeof PREVIEW_CHANGES)[number];
export const changeLabel = (change: PreviewChange) => change.replace("_", " ");

export interface DesignNodeData extends Record<string, unknown> {
  name: string;
  type: string;
  problems: string[];
  /** True until the first validation of the current text answers. */
  checking: boolean;
  change?: PreviewChange;
  changeReason?: string;
}
export type DesignNode = Node<DesignNodeData, "resource">;

export function sameNodeData(a: DesignNodeData, b: DesignNodeData): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((k) => (k === "problems" ? a.problems.join("\n") === b.problems.join("\n") : a[k] === b[k]));
}

/** A resource on the designer canvas: name, type, and whether the template is valid there. */
export const ResourceNode = memo(function ResourceNode({ data, selected }: NodeProps<DesignNode>) {
  const { name, type, problems, checking, change, changeReason } = data;
  const bad = problems.length > 0;
  const title = bad ? `${name}: ${problems.join("\n")}` : `${name} (${type})`;
  return (
    <div
      className={`dnode${bad ? " dnode-bad" : ""}${selected ? " dnode-selected" : ""}${change ? ` dnode-${change}` : ""}`}
      data-testid="designer-node"
      data-resource={name}
      data-problems={problems.length}
      title={title}
    >
      <Handle type="target" position={Position.Left} className="dnode-handle" />
      <div className="dnode-head">
        <span className="dnode-name">{name}</span>
        {change && change !== "unchanged" && (
          <span className={`dnode-change change-${change}`} data-testid="preview-badge" title={changeReason}>
            {changeLabel(change)}
          </span>
        )}
      </div>
      <div className="dnode-type">{type || "no type"}</div>
      <div className={`dnode-state${bad ? " tone-failed" : ""}`}>
        {change === "deleted" ? "to be deleted" : checking ? "checking…" : bad ? `${problems.length} problem${problems.length === 1 ? "" : "s"}` : "valid"}
      </div>
      <Handle type="source" position={Position.Right} className="dnode-handle" />
    </div>
  );
});
