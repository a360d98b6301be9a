import type ELK from "elkjs/lib/elk.bundled.js";

/**
 * How Kiln lays out a stack's graph, in the designer and the live view alike: layered, a
 * dependency left of what depends on it, the same gaps between layers and between nodes, so a
 * template looks the same while it is drawn and while it deploys.
 */
export const LAYER_GAP = 56;
export const NODE_GAP = 24;
export const LAYERED_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.spacing.nodeNodeBetweenLayers": String(LAYER_GAP),
  "elk.spacing.nodeNode": String(NODE_GAP),
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
} as const;

/**
 * Every node's options: one narrower than its layer (beside a fan-out's grid, see foldFanOuts)
 * keeps to the layer's left side, so that the lines into the layer turn left of all of it.
 */
export const NODE_OPTIONS = { "elk.alignment": "LEFT" } as const;

/**
 * Above this many resources a graph is large: elk would take seconds on the main thread, so
 * quickLayout places it (with the same gaps), and React Flow draws only what is in view.
 */
export const LARGE_GRAPH = 250;

// elk is a large bundle: loaded when a layout first needs it, not with the page, and once.
let elk: Promise<InstanceType<typeof ELK>> | undefined;
export const loadElk = () => (elk ??= import("elkjs/lib/elk.bundled.js").then(({ default: Elk }) => new Elk()));
