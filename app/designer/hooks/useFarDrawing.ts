"use client";
import { useMemo, useRef } from "react";
import type { FarBox, FarLine, FarLooks, FarNodeLook } from "../../components/FarGraph";
import { LAYER_GAP, NODE_GAP } from "../../lib/graphLayout";
import { around, routeThroughFolds, type Rect } from "../../lib/foldFanOuts";
import { farLook, type DesignNode } from "../components/ResourceNode";
import type { HotModel } from "../model/hotDocument";
import { fanOuts, NODE_H, NODE_W } from "../model/layout";
import { nodeId } from "./useFlowElements";

/**
 * The canvas' nodes as the far drawing draws them: a box where each node is, a line for each
 * pair of resources one refers to the other, dashed when only depends_on links them (as the
 * canvas draws depends_on). Computed only while the canvas is far out. A box keeps its object
 * while its node keeps its place, and the looks keep theirs while no look changes, so that the
 * validation's answer or an edit elsewhere does not redraw hundreds of unchanged boxes.
 */
export function useFarDrawing(far: boolean, nodes: DesignNode[], model: HotModel) {
  const boxesAt = useRef(new WeakMap<object, FarBox>());
  const kept = useRef<{ signature: string; looks: FarLooks }>(undefined);
  return useMemo(() => {
    if (!far) return undefined;
    const boxes = new Map<string, FarBox>();
    const looks = new Map<string, FarNodeLook>();
    for (const n of nodes) {
      let box = boxesAt.current.get(n.position);
      if (box?.id !== n.id) boxesAt.current.set(n.position, (box = { id: n.id, x: n.position.x, y: n.position.y, w: NODE_W, h: NODE_H }));
      boxes.set(n.id, box);
      looks.set(n.id, farLook(n.data));
    }
    const lines = new Map<string, { from: FarBox; to: FarBox; kind: string }>();
    for (const r of model.refs) {
      const from = boxes.get(nodeId(r.from));
      const to = boxes.get(nodeId(r.to));
      if (!from || !to || from === to) continue;
      const key = `${from.id}\u0000${to.id}`;
      const known = lines.get(key);
      if (!known || known.kind === "depends_on") lines.set(key, { from, to, kind: r.kind });
    }
    const signature = [...[...looks].map(([id, l]) => `${id}\u0000${l.title}\u0000${l.className ?? ""}`), ...[...lines].map(([key, l]) => `${key}\u0000${l.kind}`)].join("\n");
    if (kept.current?.signature !== signature)
      kept.current = {
        signature,
        looks: { useNode: (id) => looks.get(id), useEdge: (from, to) => `far-dedge-${lines.get(`${from}\u0000${to}`)?.kind ?? "depends_on"}` },
      };
    // Lines into or out of a fan-out's grid run through its gaps, as the stack page draws them.
    const grids = new Map<string, Rect>();
    for (const members of fanOuts([...boxes.keys()], [...lines.values()].map((l) => [l.from.id, l.to.id] as const))) {
      const grid = around(members.map((m) => boxes.get(m)!));
      for (const m of members) grids.set(m, grid);
    }
    const corners = ({ from, to }: { from: FarBox; to: FarBox }) => {
      const [a, b] = [grids.get(from.id), grids.get(to.id)];
      return a || b ? routeThroughFolds(from, to, a, b, { layer: LAYER_GAP, cell: NODE_GAP }) : undefined;
    };
    return { boxes: [...boxes.values()], lines: [...lines.values()].map((l): FarLine => [l.from, l.to, corners(l)]), looks: kept.current.looks };
  }, [far, nodes, model]);
}
