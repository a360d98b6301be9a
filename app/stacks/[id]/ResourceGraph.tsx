"use client";
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Background, Controls, getViewportForBounds, Position, ReactFlow, ReactFlowProvider, useReactFlow, useStore, useStoreApi, ViewportPortal, type NodeHandle } from "@xyflow/react";
import type { ElkNode } from "elkjs/lib/elk.bundled.js";
import { LARGE_GRAPH, LAYER_GAP, LAYERED_OPTIONS, NODE_GAP, NODE_OPTIONS, loadElk } from "../../lib/graphLayout";
import { around, blockIds, blockOf, foldsOf, layoutEdges, membersAt, routeThroughFolds, type Rect } from "../../lib/foldFanOuts";
import { quickLayout } from "../../lib/quickLayout";
import { whenIdle } from "../../lib/whenIdle";
import "@xyflow/react/dist/style.css";
import { FarGraph, type FarBox, type FarLine } from "../../components/FarGraph";
import { LIVE_FAR_LOOKS } from "./farLooks";
import { GraphEdge, type DependencyEdge } from "./GraphEdge";
import { GraphNode, type GraphNodeType } from "./GraphNode";
import { isArrow, nearestInDirection } from "../../lib/graphKeys";
import { ResourceChangesContext, type ResourceChanges } from "./resourceChanges";
import { naturalOrder, resourceKey } from "./stackPaths";
import type { LiveResource } from "./useLiveStack";

const NODE_W = 236;
const NODE_H = 104;
const GROUP_TOP = 100;
const GROUP_PAD = 16;
const GRID_GAP = 16;
/** A cell of a folded fan-out's grid: a node and the gap after it. */
const FOLD_CELL = { w: NODE_W + GRID_GAP, h: NODE_H + GRID_GAP };
/** Below this zoom (and with no nested stack open) the graph is drawn as one picture: see FarGraph. */
const FAR_ZOOM = 0.5;
const FIT = { padding: 0.15, maxZoom: 1, includeHiddenNodes: true };
/** Room the resource panel takes on the graph's right (its width, 400px, and its margins). */
const PANEL_SPACE = 424;
/**
 * Below this zoom a node's text cannot be read. On a narrow screen the room the panel leaves
 * would shrink the whole graph below it: the view then stays readable and centres the selected
 * node in that room instead.
 */
const READABLE_ZOOM = 0.75;
/** The key of the resource whose nested stack holds this one ("" at the top level). */
const parentOf = (key: string) => (key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "");

/** A node's handles: 6px squares centred on its left and right edges (.graph .react-flow__handle in globals.css). */
const HANDLE = 6;
/**
 * Where a node's handles are, given rather than measured: React Flow draws every node whose
 * handles it has not measured, in view or not, so without these a 1000-resource graph mounted
 * all 1000 nodes before it could draw the few in view (and edges waited for the measuring).
 */
const handlesOf = (w: number, h: number): NodeHandle[] => [
  { type: "target", position: Position.Left, x: -HANDLE / 2, y: h / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  { type: "source", position: Position.Right, x: w - HANDLE / 2, y: h / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
];

const nodeTypes = { resource: GraphNode };
/** No nodes or edges yet (one array, so React Flow sees no change). */
const NONE: never[] = [];
const edgeTypes = { dependency: GraphEdge };

interface Props {
  resources: Map<string, LiveResource>;
  changes: ResourceChanges;
  /** Extra top-level edges "from\0to" (from the template), dependency → dependent. */
  edges: Set<string>;
  /** Moves when the model changed: the graph then looks for new resources and edges. */
  rev: number;
  selected?: string;
  onSelect: (key: string | undefined) => void;
}

/**
 * The stack's resources as a graph laid out left to right, edges from a dependency to its
 * dependents. Memoised: it redraws itself when `rev` moves (to find new resources and edges);
 * nodes and edges follow their resources' states on their own.
 */
export const ResourceGraph = memo(function ResourceGraph(props: Props) {
  return (
    <ReactFlowProvider>
      <ResourceChangesContext.Provider value={props.changes}>
        <Graph {...props} />
      </ResourceChangesContext.Provider>
    </ReactFlowProvider>
  );
});

type Place = { x: number; y: number; w: number; h: number; parent?: string };
/** `folds`: the members of each fan-out laid out as a grid (see foldFanOuts). */
type Layout = { key: string; positions: Map<string, Place>; folds?: readonly (readonly string[])[] };

/** Where a shown resource is in the flow's coordinates: a nested stack's member is placed within its group. */
function absoluteOf(positions: Map<string, Place>, key: string) {
  const p = positions.get(key)!;
  let { x, y } = p;
  for (let up = p.parent && positions.get(p.parent); up; up = up.parent ? positions.get(up.parent) : undefined) {
    x += up.x;
    y += up.y;
  }
  return { x, y, w: p.w, h: p.h };
}

/** The box around the whole layout (the top level holds the groups' members). */
function boundsOf(positions: Map<string, Place>) {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions.values()) {
    if (p.parent) continue;
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + p.w);
    bottom = Math.max(bottom, p.y + p.h);
  }
  return left === Infinity ? { x: 0, y: 0, width: 0, height: 0 } : { x: left, y: top, width: right - left, height: bottom - top };
}

function Graph({ resources, edges, selected, onSelect }: Props) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [layout, setLayout] = useState<Layout>();
  const rf = useReactFlow();
  const far = useStore((s) => s.transform[2] < FAR_ZOOM) && expanded.size === 0;

  // The structure: which resources are shown (top level, plus the members of expanded nested
  // stacks) and the edges between them. Only a change of structure re-runs the layout, and the
  // structure is recomputed only when its cheap signature changes, not on every status update.
  let requiresCount = 0;
  for (const r of resources.values()) requiresCount += r.requires.length;
  const signature = `${resources.size}:${requiresCount}:${edges.size}`;
  const structure = useMemo(() => {
    const children = new Map<string, LiveResource[]>();
    for (const r of resources.values()) {
      const list = children.get(r.stackPath) ?? [];
      list.push(r);
      children.set(r.stackPath, list);
    }
    for (const list of children.values()) list.sort((a, b) => naturalOrder(a.name, b.name));
    const shown: { r: LiveResource; parent?: string }[] = [];
    const visit = (path: string, parent?: string) => {
      for (const r of children.get(path) ?? []) {
        shown.push({ r, parent });
        if (expanded.has(r.key) && children.get(r.key)?.length) visit(r.key, r.key);
      }
    };
    visit("");
    const shownKeys = new Set(shown.map((s) => s.r.key));
    const edgeSet = new Set<string>();
    for (const { r } of shown)
      for (const dep of r.requires) {
        const from = resourceKey(r.stackPath, dep);
        if (shownKeys.has(from)) edgeSet.add(`${from}\u0000${r.key}`);
      }
    for (const e of edges) {
      const [from, to] = e.split("\u0000");
      if (shownKeys.has(from) && shownKeys.has(to)) edgeSet.add(e);
    }
    const childCount = new Map([...children].map(([k, v]) => [k, v.length]));
    const key = JSON.stringify([shown.map((s) => [s.r.key, s.parent ?? ""]), [...edgeSet].sort()]);
    return { shown, edgeList: [...edgeSet].map((e) => e.split("\u0000") as [string, string]), childCount, key };
    // `signature` stands for the resources' changes that matter to the structure.
  }, [resources, edges, signature, expanded]);

  // A large graph is laid out by the quick layered layout during this render (React renders
  // again at once, before committing): its first frame is the laid-out graph, not an empty one.
  // Elk's layout takes a while and arrives from the effect below; the one before stays meanwhile.
  const large = expanded.size === 0 && structure.shown.length > LARGE_GRAPH;
  if (large && layout?.key !== structure.key) {
    const keys = structure.shown.map((s) => s.r.key);
    setLayout({ key: structure.key, positions: quickLayout(keys, structure.edgeList, { w: NODE_W, h: NODE_H, gapX: LAYER_GAP, gapY: NODE_GAP }) });
  }

  useEffect(() => {
    if (large) return;
    let cancelled = false;
    const byParent = new Map<string, ElkNode[]>();
    const elkNodes = new Map<string, ElkNode>();
    const expandedGroup = (key: string) => expanded.has(key) && (structure.childCount.get(key) ?? 0) > 0;
    const internalEdge = new Set(structure.edgeList.flatMap(([from, to]) => (parentOf(from) === parentOf(to) ? [parentOf(from)] : [])));
    // A nested stack of independent leaves (a ResourceGroup) is laid out as a grid, not one tall column.
    const grids = new Map<string, string[]>();
    // So are a wide fan-out's members (see foldFanOuts).
    const folds = foldsOf(
      structure.shown.map(({ r, parent }) => ({ key: r.key, level: parent ?? "" })),
      structure.edgeList,
      FOLD_CELL,
      (key) => !expandedGroup(key),
    );
    const foldOf = blockIds(folds);
    for (const { r, parent } of structure.shown) {
      if (parent && grids.has(parent)) {
        grids.get(parent)!.push(r.key);
        continue;
      }
      const fold = foldOf.get(r.key);
      if (fold) {
        // The block stands where its first member would.
        if (fold.members[0] !== r.key) continue;
        const n: ElkNode = { id: fold.id, ...blockOf(fold, FOLD_CELL, GRID_GAP), layoutOptions: NODE_OPTIONS };
        elkNodes.set(fold.id, n);
        const list = byParent.get(parent ?? "") ?? [];
        list.push(n);
        byParent.set(parent ?? "", list);
        continue;
      }
      const isGroup = expandedGroup(r.key);
      const gridLike = isGroup && !internalEdge.has(r.key) && !structure.shown.some((s) => s.parent === r.key && expandedGroup(s.r.key));
      let n: ElkNode;
      if (gridLike) {
        grids.set(r.key, []);
        n = { id: r.key, width: 0, height: 0, layoutOptions: NODE_OPTIONS };
      } else if (isGroup) n = { id: r.key, children: [], layoutOptions: { ...NODE_OPTIONS, "elk.padding": `[top=${GROUP_TOP},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]` } };
      else n = { id: r.key, width: NODE_W, height: NODE_H, layoutOptions: NODE_OPTIONS };
      elkNodes.set(r.key, n);
      const list = byParent.get(parent ?? "") ?? [];
      list.push(n);
      byParent.set(parent ?? "", list);
    }
    const gridCols = (n: number) => Math.max(1, Math.ceil(Math.sqrt(n / 3)));
    for (const [key, members] of grids) {
      const cols = gridCols(members.length);
      const rows = Math.ceil(members.length / cols);
      Object.assign(elkNodes.get(key)!, { width: 2 * GROUP_PAD + cols * NODE_W + (cols - 1) * GRID_GAP, height: GROUP_TOP + GROUP_PAD + rows * NODE_H + (rows - 1) * GRID_GAP });
    }
    for (const [parent, list] of byParent) if (parent) elkNodes.get(parent)!.children = list;
    const graph: ElkNode = {
      id: "root",
      // Edges between levels need one layout across them (INCLUDE_CHILDREN), but elk then lays
      // every unconnected resource in one tall column. With no group open there are no such
      // edges: laid out level by level, elk packs unconnected resources side by side.
      layoutOptions: byParent.size > 1 ? { ...LAYERED_OPTIONS, "elk.hierarchyHandling": "INCLUDE_CHILDREN" } : LAYERED_OPTIONS,
      children: byParent.get("") ?? [],
      edges: layoutEdges(structure.edgeList, foldOf).filter((e) => elkNodes.has(e.sources[0]) && elkNodes.has(e.targets[0])),
    };
    void loadElk()
      .then((elk) => elk.layout(graph))
      .then((out) => {
        if (cancelled) return;
        const positions = new Map<string, Place>();
        const walk = (nodes: ElkNode[] | undefined, parent?: string) => {
          for (const n of nodes ?? []) {
            positions.set(n.id, { x: n.x ?? 0, y: n.y ?? 0, w: n.width ?? NODE_W, h: n.height ?? NODE_H, parent });
            walk(n.children, n.id);
          }
        };
        walk(out.children);
        for (const fold of folds) {
          const block = positions.get(fold.id)!;
          positions.delete(fold.id);
          for (const [m, at] of membersAt(fold, block, FOLD_CELL)) positions.set(m, { ...at, w: NODE_W, h: NODE_H, parent: block.parent });
        }
        for (const [key, members] of grids) {
          const cols = gridCols(members.length);
          members.forEach((m, i) =>
            positions.set(m, { x: GROUP_PAD + (i % cols) * (NODE_W + GRID_GAP), y: GROUP_TOP + Math.floor(i / cols) * (NODE_H + GRID_GAP), w: NODE_W, h: NODE_H, parent: key }),
          );
        }
        setLayout({ key: structure.key, positions, folds: folds.map((f) => f.members) });
      });
    return () => {
      cancelled = true;
    };
    // Laid out again only when the structure changes, not on every state change.
  }, [structure.key]);

  // The resource panel covers the graph's right side: while it is open, the graph is fitted into
  // what it leaves free, so the node clicked next is not hidden under it.
  const panelOpen = !!selected;
  const fitPadding = (panel: boolean) => (panel ? { top: 0.1, bottom: 0.1, left: 0.05, right: `${PANEL_SPACE}px` as const } : FIT.padding);
  const fittedFor = useRef<boolean>(undefined);
  /** The first fit is done: until then the view is at React Flow's zoom 1, which is not where a large graph opens. */
  const [fitted, setFitted] = useState(false);
  /** The reader has panned or zoomed since the last fit: a resize then leaves their view alone. */
  const movedByReader = useRef(false);
  const flowStore = useStoreApi();
  const fit = (panel: boolean, duration = 150) => {
    // The program has the view again: a later resize fits it anew (see movedByReader).
    movedByReader.current = false;
    if (!layout) return;
    const { width, height } = flowStore.getState();
    // From the layout, not React Flow's nodes: a large graph hands them over after its first frame.
    const bounds = boundsOf(layout.positions);
    if (panel && selected && layout.positions.has(selected) && width > PANEL_SPACE) {
      const fitting = Math.min((width - PANEL_SPACE) / (bounds.width * 1.1), height / (bounds.height * 1.2));
      if (fitting < READABLE_ZOOM) {
        const { x, y, w, h } = absoluteOf(layout.positions, selected);
        // setCenter puts the point at the pane's middle; the room left of the panel is PANEL_SPACE/2 further left.
        return void rf.setCenter(x + w / 2 + PANEL_SPACE / 2 / READABLE_ZOOM, y + h / 2, { zoom: READABLE_ZOOM, duration });
      }
    }
    // Set here rather than by fitView, which waits for the next update of the nodes: the first
    // fit (no duration) is in place before the frame is painted, never seen at zoom 1 first.
    const viewport = getViewportForBounds(bounds, width, height, flowStore.getState().minZoom, FIT.maxZoom, fitPadding(panel));
    void rf.setViewport(viewport, duration ? { duration } : undefined);
  };

  // Fit the view when the layout changes (not on every status change), and when the panel opens
  // or closes; the first time once the graph has its size (nodes with known handles could be
  // fitted into a pane not measured yet).
  const sized = useStore((s) => s.width > 0 && s.height > 0);
  useEffect(() => {
    if (!layout || !sized) return;
    const first = fittedFor.current === undefined;
    fittedFor.current = panelOpen;
    // React Flow has the nodes by now: its own effects, which hand them to its store, ran first.
    if (first) {
      setFitted(true);
      return fit(panelOpen, 0);
    }
    const t = requestAnimationFrame(() => fit(panelOpen));
    return () => cancelAnimationFrame(t);
  }, [layout?.key, rf, sized]); // fitted again only for a new layout
  // A window made larger or smaller: the graph is fitted again to the pane's new size, until the
  // reader has moved or zoomed the view themselves (their view is then theirs to keep). `onMove`,
  // not `onMoveStart`: d3-zoom starts a gesture on every mousedown, a click on a node included.
  const onMove = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) movedByReader.current = true;
  }, []);
  const paneSize = useStore((s) => `${s.width}x${s.height}`);
  useEffect(() => {
    if (!layout || fittedFor.current === undefined || movedByReader.current) return;
    const t = requestAnimationFrame(() => fit(panelOpen, 0));
    return () => cancelAnimationFrame(t);
  }, [paneSize]); // fitted again only when the pane's size changes
  useEffect(() => {
    if (!layout || fittedFor.current === undefined || fittedFor.current === panelOpen) return;
    fittedFor.current = panelOpen;
    const t = requestAnimationFrame(() => fit(panelOpen));
    return () => cancelAnimationFrame(t);
  }, [panelOpen, rf]); // fitted again only when the panel opens or closes

  const onToggle = useMemo(
    () => (key: string) =>
      setExpanded((old) => {
        const next = new Set(old);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [],
  );

  // Node and edge objects are rebuilt only when the layout or the selection changes: states
  // reach the nodes and edges through their own subscriptions, never through React Flow.
  const built = useRef(new Map<string, { layout: typeof layout; version: string; node: GraphNodeType }>());
  const nodes: GraphNodeType[] = useMemo(() => {
    if (!layout) return [];
    const out: GraphNodeType[] = [];
    for (const { r } of structure.shown) {
      const p = layout.positions.get(r.key);
      if (!p) continue;
      const isGroup = expanded.has(r.key) && (structure.childCount.get(r.key) ?? 0) > 0;
      const childCount = structure.childCount.get(r.key) ?? 0;
      const version = `${r.key === selected}|${isGroup}|${childCount}|${far}`;
      const previous = built.current.get(r.key);
      if (previous?.layout === layout && previous.version === version) {
        out.push(previous.node);
        continue;
      }
      const node: GraphNodeType = {
        id: r.key,
        type: "resource",
        position: { x: p.x, y: p.y },
        parentId: p.parent,
        extent: p.parent ? "parent" : undefined,
        selected: r.key === selected,
        hidden: far,
        draggable: false,
        connectable: false,
        // Known sizes: React Flow need not measure a node again when it is rebuilt.
        width: p.w,
        height: p.h,
        measured: { width: p.w, height: p.h },
        handles: handlesOf(p.w, p.h),
        zIndex: isGroup ? 0 : 1,
        ariaLabel: `${r.key} (${r.type}): Enter shows its details`,
        data: { key: r.key, childCount, expanded: isGroup, onToggle },
      };
      built.current.set(r.key, { layout, version, node });
      out.push(node);
    }
    return out;
    // Drawn from the layout and the structure; each node reads its own state.
  }, [layout, structure, selected, onToggle, far]);

  // The corners of the lines into and out of fan-outs' grids, in the flow's coordinates.
  const routes = useMemo(() => {
    const out = new Map<string, [number, number][]>();
    if (!layout?.folds?.length) return out;
    const box = (key: string): Rect => absoluteOf(layout.positions, key);
    const grids = new Map<string, Rect>();
    for (const members of layout.folds) {
      const grid = around(members.map(box));
      for (const m of members) grids.set(m, grid);
    }
    for (const [from, to] of structure.edgeList) {
      const [a, b] = [grids.get(from), grids.get(to)];
      if ((a || b) && layout.positions.has(from) && layout.positions.has(to)) out.set(`${from}->${to}`, routeThroughFolds(box(from), box(to), a, b, { layer: LAYER_GAP, cell: GRID_GAP }));
    }
    return out;
  }, [layout, structure]);

  const farDrawing = useMemo(() => {
    if (!far || !layout) return undefined;
    const boxes = new Map<string, FarBox>();
    for (const { r } of structure.shown) {
      const p = layout.positions.get(r.key);
      if (p) boxes.set(r.key, { id: r.key, x: p.x, y: p.y, w: p.w, h: p.h });
    }
    const lines = structure.edgeList.flatMap(([from, to]): FarLine[] => {
      const [a, b] = [boxes.get(from), boxes.get(to)];
      return a && b ? [[a, b, routes.get(`${from}->${to}`)]] : [];
    });
    return { boxes: [...boxes.values()], lines };
  }, [far, layout, structure, routes]);

  // A large graph opens far out, drawn by FarGraph: React Flow is handed its nodes and edges
  // (hidden at that zoom, but a thousand of them to take in, in one task) once the page is idle
  // after that first frame, in a transition. Once handed over, or whenever the fitted view is
  // near, they follow every change at once.
  const [handedOver, setHandedOver] = useState(false);
  const handOver = handedOver || !large || (fitted && !far);
  useEffect(() => {
    if (fitted && !handedOver) return whenIdle(() => startTransition(() => setHandedOver(true)));
  }, [fitted, handedOver]);

  // Far out the far drawing draws the lines: these are hidden with the nodes.
  const flowEdges: DependencyEdge[] = useMemo(
    () =>
      structure.edgeList.map(([from, to]) => {
        const id = `${from}->${to}`;
        return { id, source: from, target: to, type: "dependency", zIndex: 1, hidden: far, data: { corners: routes.get(id) } };
      }),
    [structure, routes, far],
  );

  // Stable handlers: React Flow copies its props into its store, and a new function each
  // render would wake every node's and edge's store subscription.
  const onNodeClick = useCallback((_: unknown, n: { id: string }) => onSelect(n.id === selected ? undefined : n.id), [onSelect, selected]);
  const onPaneClick = useCallback(() => onSelect(undefined), [onSelect]);

  // The keyboard: Tab reaches each node (React Flow makes them focusable), Enter or Space opens
  // its panel, the arrow keys go to the nearest node that way. Keys on a node's own buttons keep
  // their meaning.
  const graphRef = useRef<HTMLDivElement>(null);
  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      const el = e.target as HTMLElement;
      const id = el.classList.contains("react-flow__node") ? el.dataset.id : undefined;
      if (!id) return;
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onSelect(id);
        return;
      }
      if (!isArrow(e.key)) return;
      e.preventDefault();
      const boxes = rf
        .getNodes()
        .filter((n) => !n.hidden)
        .map((n) => {
          const at = rf.getInternalNode(n.id)?.internals.positionAbsolute ?? n.position;
          return { id: n.id, x: at.x, y: at.y, w: n.width ?? NODE_W, h: n.height ?? NODE_H };
        });
      const from = boxes.find((b) => b.id === id);
      const to = from && nearestInDirection(from, boxes, e.key);
      if (!to) return;
      const find = () => graphRef.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(to)}"]`);
      const target = find();
      if (target) return target.focus();
      // A large graph draws only the nodes in view: bring this one into view first (the reader's move).
      const b = boxes.find((x) => x.id === to)!;
      movedByReader.current = true;
      void rf.setCenter(b.x + b.w / 2, b.y + b.h / 2, { zoom: rf.getZoom() }).then(() => find()?.focus());
    },
    [rf, onSelect],
  );

  return (
    <div className="graph" data-testid="graph" ref={graphRef} onKeyDown={onKeyDown}>
      <ReactFlow
        nodes={handOver ? nodes : NONE}
        edges={handOver ? flowEdges : NONE}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onMove={onMove}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length > LARGE_GRAPH}
        minZoom={0.05}
        maxZoom={1.5}
        // Bottom right is under the resource panel when it is open, bottom left holds the controls.
        attributionPosition="top-left"
      >
        <Background gap={20} size={1} color="#e4e4df" />
        <Controls
          showInteractive={false}
          position="bottom-left"
          fitViewOptions={FIT}
          onZoomIn={() => (movedByReader.current = true)}
          onZoomOut={() => (movedByReader.current = true)}
          onFitView={() => (movedByReader.current = false)}
        />
        {farDrawing && (
          <ViewportPortal>
            <FarGraph boxes={farDrawing.boxes} edges={farDrawing.lines} looks={LIVE_FAR_LOOKS} selected={selected} onSelect={onSelect} />
          </ViewportPortal>
        )}
      </ReactFlow>
      {resources.size === 0 && <p className="graph-empty muted">No resources yet.</p>}
    </div>
  );
}
