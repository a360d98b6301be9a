"use client";
import { useCallback, useEffect, useState, type DragEvent, type RefObject } from "react";
import { useReactFlow, type Connection } from "@xyflow/react";
import type { TypeSchema } from "../components/Inspector";
import { DRAG_TYPE } from "../components/Palette";
import { useCopyPaste } from "../components/useCopyPaste";
import { addReference, addResource, deleteFromCanvas, freeResourceName, renameResource, type HotModel, type HotRef, type NewReference } from "../model/hotDocument";
import { NODE_H, NODE_W, type Positions } from "../model/layout";
import { DELETED_PREFIX, nameOf } from "./useFlowElements";

interface Deps {
  model: HotModel;
  readOnly: boolean;
  canvasRef: RefObject<HTMLDivElement | null>;
  positions: Positions;
  setPositions: (update: (p: Positions) => Positions) => void;
  selection: ReadonlySet<string>;
  select: (...names: string[]) => void;
  selectedEdges: ReadonlySet<string>;
  schemaOf: (type: string) => Promise<TypeSchema | null>;
  flushTyping: () => string;
  apply: (edit: (text: string) => string) => boolean;
  applyOrError: (edit: (text: string) => string) => string | undefined;
  undo: () => void;
  redo: () => void;
  setNotice: (message: string | undefined) => void;
  /** A resource was added on the canvas. */
  onAdded: (name: string) => void;
}

/**
 * What the canvas changes in the template: adding (click or drop), connecting, renaming and
 * deleting resources, copy and paste, and the keyboard (Delete, Ctrl+C/V, one undo history
 * for canvas, panels and editor).
 */
export function useCanvasEdits(d: Deps) {
  const flow = useReactFlow();
  const { model, readOnly, canvasRef, positions, setPositions, selection, select, schemaOf, flushTyping, apply, setNotice, onAdded } = d;
  const names = model.resources.map((r) => r.name);

  const addOfType = useCallback(
    async (type: string, at?: { x: number; y: number }) => {
      if (readOnly) return setNotice("Fix the YAML syntax first: the canvas follows once the text parses.");
      const schema = await schemaOf(type);
      const required = schema ? Object.entries(schema.properties).filter(([, p]) => p.required && p.default === undefined).map(([name, p]) => ({ name, type: p.type })) : [];
      const name = freeResourceName(flushTyping(), type);
      let spot = at;
      if (!spot) {
        const box = canvasRef.current?.getBoundingClientRect();
        const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 40, y: 40 };
        spot = { x: center.x - NODE_W / 2, y: center.y - NODE_H / 2 };
        const taken = Object.values(positions);
        while (taken.some((p) => Math.abs(p.x - spot!.x) < NODE_W / 2 && Math.abs(p.y - spot!.y) < NODE_H)) spot = { x: spot.x + 24, y: spot.y + NODE_H + 16 };
      }
      setPositions((p) => ({ ...p, [name]: spot! }));
      if (apply((t) => addResource(t, name, type, required))) {
        select(name);
        onAdded(name);
      }
    },
    [readOnly, schemaOf, flushTyping, canvasRef, flow, positions, setPositions, apply, select, setNotice, onAdded],
  );

  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    void addOfType(type, { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 });
  };

  const [connecting, setConnecting] = useState<{ from: string; to: string }>();
  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target || c.source === c.target || c.source.startsWith(DELETED_PREFIX) || c.target.startsWith(DELETED_PREFIX)) return;
      setConnecting({ from: nameOf(c.source), to: nameOf(c.target) });
    },
    [readOnly],
  );
  const connect = (ref: NewReference) => {
    if (connecting && apply((t) => addReference(t, connecting.from, connecting.to, ref))) setConnecting(undefined);
  };

  /** The Delete key: every selected resource and reference, as one edit. */
  const refById = new Map(model.refs.map((r) => [r.id, r]));
  const deleteSelection = (): boolean => {
    const gone = names.filter((n) => selection.has(n));
    const refs = [...d.selectedEdges].map((id) => refById.get(id)).filter((r): r is HotRef => !!r);
    if (!gone.length && !refs.length) return false;
    if (apply((t) => deleteFromCanvas(t, gone, refs))) select();
    return true;
  };

  const rename = (from: string, to: string): string | undefined => {
    const error = d.applyOrError((t) => renameResource(t, from, to));
    if (error) return error;
    setPositions((p) => (p[from] ? { ...p, [to]: p[from] } : p));
    select(to);
    return undefined;
  };

  const { copy, paste } = useCopyPaste({ names, selection, current: flushTyping, apply, setPositions, select });

  // The listener is renewed with each render, so it always acts on the current selection.
  const { undo, redo } = d;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.defaultPrevented || target?.closest(".cm-editor") || target?.matches("input, textarea, select")) return;
      const key = e.key.toLowerCase();
      if (!(e.ctrlKey || e.metaKey)) {
        // Delete pressed in a side panel or the palette is not meant for the canvas' selection.
        const forCanvas = !target?.closest(".designer-side, .palette");
        if ((key === "delete" || key === "backspace") && forCanvas && !readOnly && deleteSelection()) e.preventDefault();
        return;
      }
      if (key === "z" && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((key === "z" && e.shiftKey) || key === "y") {
        e.preventDefault();
        redo();
      } else if ((key === "c" && copy()) || (key === "v" && paste())) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return { addOfType, onDrop, connecting, onConnect, connect, cancelConnect: () => setConnecting(undefined), rename, deleteSelection };
}
