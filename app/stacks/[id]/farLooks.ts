import type { FarLooks } from "../../components/FarGraph";
import { toneOf } from "../../lib/status";
import { edgeState, resourceTitle } from "./graphStates";
import { useResource } from "./resourceChanges";

/** The live view's far drawing: each box and line follows its own resources' states. */
export const LIVE_FAR_LOOKS: FarLooks = {
  useNode(key) {
    const r = useResource(key);
    if (!r) return undefined;
    const tone = toneOf(r.status, r.action);
    return { name: r.name, tone, glyph: true, title: resourceTitle(r), data: { "data-testid": "graph-node", "data-resource": r.key, "data-status": `${r.action}_${r.status}` } };
  },
  useEdge(from, to) {
    return `far-edge-${edgeState(useResource(from), useResource(to))}`;
  },
};
