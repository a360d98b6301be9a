"use client";
import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { FarNodeLook } from "../../components/FarGraph";

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

const nodeTitle = ({ name, type, problems }: DesignNodeData) => (problems.length ? `${name}: ${problems.join("\n")}` : `${name} (${type})`);
const nodeAttributes = ({ name, problems }: DesignNodeData) => ({ "data-testid": "designer-node", "data-resource": name, "data-problems": problems.length });

/** The same resource in the far drawing: its name, red with a cross where the template has a problem. */
export function farLook(data: DesignNodeData): FarNodeLook {
  const bad = data.problems.length > 0;
  return { name: data.name, tone: bad ? "failed" : "idle", glyph: bad, title: nodeTitle(data), className: data.change && `far-change-${data.change}`, data: nodeAttributes(data) };
}

/** A resource on the designer canvas: name, type, and whether the template is valid there. */
export const ResourceNode = memo(function ResourceNode({ data, selected }: NodeProps<DesignNode>) {
  const { name, type, problems, checking, change, changeReason } = data;
  const bad = problems.length > 0;
  return (
    <div className={`dnode${bad ? " dnode-bad" : ""}${selected ? " dnode-selected" : ""}${change ? ` dnode-${change}` : ""}`} {...nodeAttributes(data)} title={nodeTitle(data)}>
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
