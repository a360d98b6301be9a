import type ELK from "elkjs/lib/elk.bundled.js";

/**
 * Above this many resources a graph is large: elk would take seconds on the main thread, so
 * quickLayout places it, and React Flow draws only what is in view.
 */
export const LARGE_GRAPH = 250;

// elk is a large bundle: loaded when a layout first needs it, not with the page, and once.
let elk: Promise<InstanceType<typeof ELK>> | undefined;
export const loadElk = () => (elk ??= import("elkjs/lib/elk.bundled.js").then(({ default: Elk }) => new Elk()));
