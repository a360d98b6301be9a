"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { HotModel } from "../model/hotDocument";
import { largeLayout, layeredLayout, loadPositions, nextFreeSpot, savePositions, type Positions } from "../model/layout";

/**
 * Where each resource sits on the canvas: remembered per template (`storeKey`), laid out when
 * nothing is known, a free spot for a resource added in the text. `laidOut` moves after each
 * auto-layout, for the canvas to fit the view to it; `layingOut` holds while one is computed.
 */
export function usePositions(storeKey: string, model: HotModel) {
  const [positions, setPositionsState] = useState<Positions>(() => {
    const remembered = loadPositions(storeKey);
    // A large template with no place remembered is laid out here, at once, so that its first
    // render already holds its nodes: there is no render without them to wait for the layout.
    const large = model.resources.some((r) => remembered[r.name]) ? undefined : largeLayout(model.resources.map((r) => r.name), model.refs);
    if (!large) return remembered;
    const laid = { ...remembered, ...large };
    savePositions(storeKey, laid);
    return laid;
  });
  const [laidOut, setLaidOut] = useState(0);
  const [layingOut, setLayingOut] = useState(false);
  /** Changes positions; `persist` false while a drag is under way (it is saved when it ends). */
  const setPositions = useCallback(
    (update: (p: Positions) => Positions, persist = true) =>
      setPositionsState((old) => {
        const next = update(old);
        if (persist) savePositions(storeKey, next);
        return next;
      }),
    [storeKey],
  );
  const layoutSeq = useRef(0);
  const autoLayout = useCallback(async () => {
    const seq = ++layoutSeq.current;
    setLayingOut(true);
    const laid = await layeredLayout(
      model.resources.map((r) => r.name),
      model.refs,
    ).finally(() => seq === layoutSeq.current && setLayingOut(false));
    if (seq !== layoutSeq.current) return;
    setPositions((old) => ({ ...old, ...laid }));
    setLaidOut((n) => n + 1);
  }, [model, setPositions]);
  useEffect(() => {
    const missing = model.resources.filter((r) => !positions[r.name]);
    if (!missing.length) return;
    if (missing.length === model.resources.length) void autoLayout();
    else
      setPositions((old) => {
        const next = { ...old };
        for (const r of missing) next[r.name] = nextFreeSpot(Object.fromEntries(model.resources.filter((x) => next[x.name]).map((x) => [x.name, next[x.name]])));
        return next;
      });
  }, [model, positions, autoLayout, setPositions]);
  return { positions, setPositions, autoLayout, laidOut, layingOut };
}
