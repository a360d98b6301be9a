"use client";
import { memo } from "react";
import { toneOf, type Tone } from "../../lib/status";
import { edgeState, resourceTitle } from "./graphStates";
import { useResource } from "./resourceChanges";

export interface FarBox {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

const GLYPH: Record<Tone, string> = { complete: "✓", failed: "✕", progress: "◌", rolledback: "↺", idle: "·" };
/** Characters of a name that fit a far node at its font size. */
const NAME_FITS = 10;

interface Props {
  boxes: FarBox[];
  edges: [FarBox, FarBox][];
  selected?: string;
  onSelect: (key: string | undefined) => void;
}

/**
 * The graph zoomed far out, where text is unreadable and hundreds of nodes are in view: one SVG
 * in the flow's coordinates, each resource a box in its state's colour with a state symbol and
 * a large name, each dependency a line. One drawing instead of a thousand positioned elements
 * keeps what the browser re-composites on every frame small, so the event stream beside it
 * stays fast during a burst. Each box and line follows its own resources.
 */
export const FarGraph = memo(function FarGraph({ boxes, edges, selected, onSelect }: Props) {
  let width = 0;
  let height = 0;
  for (const b of boxes) {
    width = Math.max(width, b.x + b.w);
    height = Math.max(height, b.y + b.h);
  }
  return (
    <svg className="far-graph" width={width} height={height} data-testid="far-graph">
      {edges.map(([from, to]) => (
        <FarEdge key={`${from.key}->${to.key}`} from={from} to={to} />
      ))}
      {boxes.map((b) => (
        <FarNode key={b.key} box={b} selected={b.key === selected} onSelect={onSelect} />
      ))}
    </svg>
  );
});

const FarNode = memo(function FarNode({ box, selected, onSelect }: { box: FarBox; selected: boolean; onSelect: (key: string | undefined) => void }) {
  const r = useResource(box.key);
  if (!r) return null;
  const tone = toneOf(r.status, r.action);
  const state = `${r.action}_${r.status}`;
  const name = r.name.length > NAME_FITS ? `${r.name.slice(0, NAME_FITS - 1)}…` : r.name;
  return (
    <g
      className={`far-node far-${tone}${selected ? " far-selected" : ""}`}
      data-testid="graph-node"
      data-resource={r.key}
      data-status={state}
      onClick={(e) => {
        e.stopPropagation();
        onSelect(selected ? undefined : r.key);
      }}
    >
      <title>{resourceTitle(r)}</title>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} />
      <text className="far-glyph" x={box.x + 22} y={box.y + box.h / 2}>
        {GLYPH[tone]}
      </text>
      <text className="far-name" x={box.x + 62} y={box.y + box.h / 2}>
        {name}
      </text>
    </g>
  );
});

const FarEdge = memo(function FarEdge({ from, to }: { from: FarBox; to: FarBox }) {
  const source = useResource(from.key);
  const target = useResource(to.key);
  const state = edgeState(source, target);
  const x1 = from.x + from.w;
  const y1 = from.y + from.h / 2;
  const x2 = to.x;
  const y2 = to.y + to.h / 2;
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return <path className={`far-edge far-edge-${state}`} d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`} />;
});
