"use client";
import { memo, startTransition, useCallback, useEffect, useRef, useState } from "react";
import { useStoreApi } from "@xyflow/react";
import { isArrow, nearestInDirection, type Box } from "../lib/graphKeys";
import type { Tone } from "../lib/status";

/** A resource's box in the far drawing, in the flow's coordinates; `id` is the view's key for it. */
export type FarBox = Box;

/** A dependency's line: from one box to another, through `corners` when given (else a curve). */
export type FarLine = readonly [from: FarBox, to: FarBox, corners?: readonly (readonly [number, number])[]];

/** How one resource looks far out. */
export interface FarNodeLook {
  name: string;
  tone: Tone;
  /** Whether its tone's symbol (✓, ✕ …) goes before the name: a view that says states has one. */
  glyph?: boolean;
  /** Hover text, and what a screen reader says of the box. */
  title: string;
  /** Classes for what the view marks besides the tone. */
  className?: string;
  /** The data-* attributes the view's nodes carry (for its tests and tools). */
  data: Record<`data-${string}`, string | number>;
}

/**
 * What a view draws for its resources. Hooks, so that a view whose nodes follow their own
 * resource (the live view) redraws one box, not the drawing, when one resource changes.
 */
export interface FarLooks {
  useNode(id: string): FarNodeLook | undefined;
  /** The edge's classes besides far-edge. */
  useEdge(from: string, to: string): string;
}

/**
 * Each tone's symbol (✓ ✕ ◌ ↺ ·) drawn as a path centred on 0,0, not as text: it looks the same
 * whatever fonts the machine has (◌ and ↺ are missing from many), and a state change sets one
 * attribute rather than giving the browser text to lay out again.
 */
const TONE_GLYPH: Record<Tone, string> = {
  complete: "M-11 1 L-4 9 L12 -9",
  failed: "M-9 -9 L9 9 M9 -9 L-9 9",
  progress: "M-11 0 A11 11 0 1 1 11 0 A11 11 0 1 1 -11 0",
  rolledback: "M-5.5 -9.5 A11 11 0 1 0 9.5 -5.5 M8.5 0.5 L9.5 -5.5 L15 -3.5",
  idle: "M0 0 L0 0",
};
/** A far name's size in the flow's units: large, so that it still reads far out. */
const NAME_SIZE = 30;
/** The average width of one of its (bold) letters. */
const LETTER_W = 16;
/** The least zoom a view opens its far drawing at: there a name is 10px on screen. */
export const FAR_READABLE_ZOOM = 10 / NAME_SIZE;

interface Props {
  boxes: FarBox[];
  edges: readonly FarLine[];
  looks: FarLooks;
  selected?: string;
  /** A click (on the selected box: undefined) or Enter. */
  onSelect: (id: string | undefined) => void;
}

/**
 * The graph zoomed far out, where a node's own text is unreadable and hundreds of nodes are in
 * view: one SVG in the flow's coordinates, each resource a box in its tone's colour with a large
 * name, each dependency a line. One drawing instead of a thousand positioned elements keeps what
 * the browser lays out and re-composites small. The keyboard reaches every box as it reaches a
 * node: Tab, the arrow keys to the nearest box that way, Enter or Space selects; a box given the
 * focus out of view is brought into it.
 */
export const FarGraph = memo(function FarGraph({ boxes, edges, looks, selected, onSelect }: Props) {
  let width = 0;
  let height = 0;
  for (const b of boxes) {
    width = Math.max(width, b.x + b.w);
    height = Math.max(height, b.y + b.h);
  }
  const svg = useRef<SVGSVGElement>(null);
  const store = useStoreApi();
  const latest = useRef({ boxes, onSelect });
  latest.current = { boxes, onSelect };

  // Hundreds of boxes and lines take a while to create: the first frame draws those in view
  // (and the lines that reach them), the rest follow in a transition that yields to the page,
  // in the same document order, so Tab and the arrows meet them as before.
  const [whole, setWhole] = useState(false);
  useEffect(() => {
    startTransition(() => setWhole(true));
  }, []);
  const [inView] = useState(() => inViewOf(store.getState()));
  const drawnBoxes = whole ? boxes : boxes.filter(inView);
  const drawnEdges = whole ? edges : edges.filter(([from, to]) => inView(from) || inView(to));

  const onKeyDown = useCallback((e: React.KeyboardEvent, id: string) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      latest.current.onSelect(id);
      return;
    }
    if (!isArrow(e.key)) return;
    e.preventDefault();
    const all = latest.current.boxes;
    const from = all.find((b) => b.id === id);
    const to = from && nearestInDirection(from, all, e.key);
    if (to) svg.current?.querySelector<SVGGElement>(`[data-far-id="${CSS.escape(to)}"]`)?.focus();
  }, []);

  // As React Flow does for its nodes: the wrapper undoes the browser's scroll, this pans instead.
  const onFocus = useCallback(
    (box: FarBox) => {
      const { transform, width: paneW, height: paneH, setCenter } = store.getState();
      const [tx, ty, zoom] = transform;
      const inView = box.x * zoom + tx >= 0 && box.y * zoom + ty >= 0 && (box.x + box.w) * zoom + tx <= paneW && (box.y + box.h) * zoom + ty <= paneH;
      if (!inView) void setCenter(box.x + box.w / 2, box.y + box.h / 2, { zoom });
    },
    [store],
  );

  return (
    <svg ref={svg} className="far-graph" width={width} height={height} data-testid="far-graph">
      {drawnEdges.map(([from, to, corners]) => (
        <FarEdge key={`${from.id}->${to.id}`} from={from} to={to} corners={corners} looks={looks} />
      ))}
      {drawnBoxes.map((b) => (
        <FarNode key={b.id} box={b} looks={looks} selected={b.id === selected} onSelect={onSelect} onKeyDown={onKeyDown} onFocus={onFocus} />
      ))}
    </svg>
  );
});

/** Whether a box is within the view React Flow's state `s` shows, or near it. */
function inViewOf(s: { transform: [number, number, number]; width: number; height: number }) {
  const [tx, ty, zoom] = s.transform;
  const margin = 100;
  const left = (-tx - margin) / zoom;
  const top = (-ty - margin) / zoom;
  const right = (s.width - tx + margin) / zoom;
  const bottom = (s.height - ty + margin) / zoom;
  return (b: FarBox) => b.x + b.w >= left && b.x <= right && b.y + b.h >= top && b.y <= bottom;
}

interface NodeProps {
  box: FarBox;
  looks: FarLooks;
  selected: boolean;
  onSelect: (id: string | undefined) => void;
  onKeyDown: (e: React.KeyboardEvent, id: string) => void;
  onFocus: (box: FarBox) => void;
}

const FarNode = memo(function FarNode({ box, looks, selected, onSelect, onKeyDown, onFocus }: NodeProps) {
  const look = looks.useNode(box.id);
  // The hover text is put in once the pointer is on the box: a thousand <title>s (and their
  // texts) were a fifth of what the first frame created, for a text read one box at a time.
  const [pointedAt, setPointedAt] = useState(false);
  if (!look) return null;
  const nameX = look.glyph ? 62 : 20;
  const fits = Math.floor((box.w - nameX - 10) / LETTER_W);
  const name = look.name.length > fits ? `${look.name.slice(0, fits - 1)}…` : look.name;
  return (
    <g
      className={`far-node far-${look.tone}${selected ? " far-selected" : ""}${look.className ? ` ${look.className}` : ""}`}
      {...look.data}
      data-far-id={box.id}
      tabIndex={0}
      role="button"
      aria-label={`${look.title}: Enter selects it`}
      aria-pressed={selected}
      onClick={(e) => {
        e.stopPropagation();
        onSelect(selected ? undefined : box.id);
      }}
      onKeyDown={(e) => onKeyDown(e, box.id)}
      onFocus={() => onFocus(box)}
      onPointerEnter={pointedAt ? undefined : () => setPointedAt(true)}
    >
      {pointedAt && <title>{look.title}</title>}
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} />
      {look.glyph && <path className="far-glyph" d={TONE_GLYPH[look.tone]} transform={`translate(${box.x + 24} ${box.y + box.h / 2})`} />}
      <text className="far-name" x={box.x + nameX} y={box.y + box.h / 2} fontSize={NAME_SIZE}>
        {name}
      </text>
    </g>
  );
});

const FarEdge = memo(function FarEdge({ from, to, corners, looks }: { from: FarBox; to: FarBox; corners?: FarLine[2]; looks: FarLooks }) {
  const className = looks.useEdge(from.id, to.id);
  const x1 = from.x + from.w;
  const y1 = from.y + from.h / 2;
  const x2 = to.x;
  const y2 = to.y + to.h / 2;
  if (corners) return <path className={`far-edge ${className}`} d={`M ${x1} ${y1} ${corners.map(([x, y]) => `L ${x} ${y}`).join(" ")} L ${x2} ${y2}`} />;
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return <path className={`far-edge ${className}`} d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`} />;
});
