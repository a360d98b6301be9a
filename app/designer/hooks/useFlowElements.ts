"use client";
import { useCallback, useMemo, useRef, useState } from "react";
import { MarkerType, Position, useReactFlow, type Edge, type EdgeChange, type NodeChange } from "@xyflow/react";
import type { DesignNode, DesignNodeData, PreviewChange } from "../components/ResourceNode";
import { sameNodeData } from "../components/ResourceNode";
import type { HotModel } from "../model/hotDocument";
import { nextFreeSpot, type Positions } from "../model/layout";
import type { Problem } from "../model/problems";

/**
 * A resource's node id on the canvas: its name URI-encoded, never raw. React Flow puts node ids
 * into CSS selectors unescaped (handle lookups while a connection is dragged), and a name may
 * hold a quote or a backslash; encoded, it holds neither.
 */
export const nodeId = (name: string) => encodeURIComponent(name);
export const nameOf = (id: string) => decodeURIComponent(id);
export const DELETED_PREFIX = "deleted:";

type Size = { width: number; height: number };

interface Inputs {
  model: HotModel;
  positions: Positions;
  setPositions: (update: (p: Positions) => Positions, persist?: boolean) => void;
  selection: ReadonlySet<string>;
  setSelection: (update: (old: ReadonlySet<string>) => ReadonlySet<string>) => void;
  byResource: Map<string, Problem[]>;
  checking: boolean;
  /** The update preview's verdict per resource, resources it deletes included. */
  changes: Map<string, { change: PreviewChange; reason?: string; type?: string }>;
  /** True while the canvas draws no node of its own (before its first fit, and in the far drawing). */
  hidden: boolean;
}

/**
 * React Flow's nodes and edges, derived from the model: a node or edge whose inputs did not
 * change keeps its object, so React Flow and the node's memo skip it. What React Flow reports
 * back (sizes, drags, selection) goes to its owner: sizes here, positions and selection to the
 * caller's state.
 */
export function useFlowElements({ model, positions, setPositions, selection, setSelection, byResource, checking, changes, hidden }: Inputs) {
  const flow = useReactFlow<DesignNode, Edge>();
  const [sizes, setSizes] = useState<ReadonlyMap<string, Size>>(new Map());
  const built = useRef(new Map<string, DesignNode>());

  const nodes = useMemo(() => {
    const previous = built.current;
    const next = new Map<string, DesignNode>();
    const make = (id: string, position: { x: number; y: number }, fresh: DesignNodeData, extra: Partial<DesignNode>) => {
      const before = previous.get(id);
      const data = before && sameNodeData(before.data, fresh) ? before.data : fresh;
      // A node React Flow measured but has not reported yet keeps that measure: without it React
      // Flow would forget the node's handles, and its edges would not be drawn.
      const measured = sizes.get(id) ?? before?.measured ?? flow.getInternalNode(id)?.measured;
      const selected = extra.selected ?? false;
      const node: DesignNode =
        before && before.data === data && before.position === position && before.selected === selected && before.measured === measured && before.hidden === hidden
          ? before
          : { id, type: "resource", position, data, sourcePosition: Position.Right, targetPosition: Position.Left, ...(measured?.width !== undefined && { measured }), ...extra, selected, hidden };
      next.set(id, node);
      return node;
    };
    const out: DesignNode[] = [];
    for (const r of model.resources) {
      const position = positions[r.name];
      // Drawn once placed: at the origin it would only jump when the layout lands.
      if (!position) continue;
      const c = changes.get(r.name);
      out.push(make(nodeId(r.name), position, { name: r.name, type: r.type, problems: (byResource.get(r.name) ?? []).map((p) => p.message), checking, change: c?.change, changeReason: c?.reason }, { selected: selection.has(r.name) }));
    }
    const known = { ...positions };
    const names = new Set(model.resources.map((r) => r.name));
    for (const [name, c] of changes) {
      if (c.change !== "deleted" || names.has(name)) continue;
      const spot = known[name] ?? nextFreeSpot(known);
      known[name] = spot;
      out.push(make(`${DELETED_PREFIX}${nodeId(name)}`, spot, { name, type: c.type ?? "", problems: [], checking: false, change: "deleted" }, { draggable: false, selectable: false, connectable: false, deletable: false }));
    }
    built.current = next;
    return out;
  }, [model, positions, byResource, checking, changes, selection, sizes, flow, hidden]);

  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const edges = useMemo(
    () =>
      model.refs.map(
        (r): Edge => ({
          id: r.id,
          source: nodeId(r.from),
          target: nodeId(r.to),
          selected: selectedEdges.has(r.id),
          className: `dedge dedge-${r.kind}`,
          label: r.kind === "depends_on" ? undefined : r.kind === "get_attr" ? `${r.attribute ?? "get_attr"}` : "id",
          labelBgPadding: [4, 2],
          labelBgBorderRadius: 4,
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          data: { kind: r.kind },
        }),
      ),
    [model, selectedEdges],
  );

  const onNodesChange = useCallback(
    (list: NodeChange<DesignNode>[]) => {
      const moved: Positions = {};
      const measured = new Map<string, Size>();
      const picks: [string, boolean][] = [];
      for (const c of list) {
        if (c.type === "position" && c.position) moved[nameOf(c.id)] = c.position;
        else if (c.type === "dimensions" && c.dimensions) measured.set(c.id, c.dimensions);
        else if (c.type === "select") picks.push([nameOf(c.id), c.selected]);
      }
      if (Object.keys(moved).length) setPositions((p) => ({ ...p, ...moved }), false);
      if (measured.size) setSizes((old) => new Map([...old, ...measured]));
      if (picks.length)
        setSelection((old) => {
          const next = new Set(old);
          for (const [name, on] of picks) if (on) next.add(name);
          else next.delete(name);
          return next;
        });
    },
    [setPositions, setSelection],
  );
  const onEdgesChange = useCallback((list: EdgeChange[]) => {
    const picks = list.filter((c) => c.type === "select");
    if (picks.length)
      setSelectedEdges((old) => {
        const next = new Set(old);
        for (const c of picks) if (c.selected) next.add(c.id);
        else next.delete(c.id);
        return next;
      });
  }, []);
  return { nodes, edges, onNodesChange, onEdgesChange, selectedEdges };
}
