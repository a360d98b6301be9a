"use client";
import { useMemo } from "react";
import type { FarBox, FarLooks, FarNodeLook } from "../../components/FarGraph";
import { farLook, type DesignNode } from "../components/ResourceNode";
import type { HotModel } from "../model/hotDocument";
import { NODE_H, NODE_W } from "../model/layout";
import { nodeId } from "./useFlowElements";

/**
 * The canvas' nodes as the far drawing draws them: a box where each node is, a line for each
 * pair of resources one refers to the other, dashed when only depends_on links them (as the
 * canvas draws depends_on). Computed only while the canvas is far out.
 */
export function useFarDrawing(far: boolean, nodes: DesignNode[], model: HotModel) {
  return useMemo(() => {
    if (!far) return undefined;
    const boxes = new Map<string, FarBox>();
    const looks = new Map<string, FarNodeLook>();
    for (const n of nodes) {
      boxes.set(n.id, { id: n.id, x: n.position.x, y: n.position.y, w: NODE_W, h: NODE_H });
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
    const farLooks: FarLooks = {
      useNode: (id) => looks.get(id),
      useEdge: (from, to) => `far-dedge-${lines.get(`${from}\u0000${to}`)?.kind ?? "depends_on"}`,
    };
    return { boxes: [...boxes.values()], lines: [...lines.values()].map((l): [FarBox, FarBox] => [l.from, l.to]), looks: farLooks };
  }, [far, nodes, model]);
}
