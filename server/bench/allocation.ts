/**
 * Bytes the JavaScript heap allocated while something ran, sampled by V8's heap profiler (a
 * sample every ~1 KB allocated, those collected since counted too): a count rather than a time,
 * so a loaded machine does not blur it, and what the collector's share of a run's CPU follows.
 * The sampling slows what it measures: never around a timed figure.
 */
import { Session } from "node:inspector/promises";

interface SampledNode {
  selfSize: number;
  children: SampledNode[];
}

const total = (node: SampledNode): number => node.children.reduce((sum, child) => sum + total(child), node.selfSize);

export async function allocatedDuring(run: () => Promise<unknown>): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.startSampling", { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await run();
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: SampledNode } };
    return total(profile.head);
  } finally {
    session.disconnect();
  }
}
