import { AsyncLocalStorage } from "node:async_hooks";
import { MemoryQueue, WorkerDied } from "./memoryQueue";
import { MemoryStore } from "./memoryStore";

const WRITES = ["updateResource", "updateHeldResource", "recordMadeObject", "unlockResource", "createAtOnce", "deleteAtOnce", "arrive", "createResources", "deleteResource", "updateStack"];

/**
 * Kills a worker, once, at the first store write for which `dies` answers true: a worker killed
 * between two of a job's writes. From then on every store call of that job throws WorkerDied,
 * as if its process were gone, so no catch in the engine (a plugin's failure handling, say) can
 * store anything more for it; the queue delivers the job again. Answers whether it has happened.
 */
export function dieAtWrite(t: { store: MemoryStore; queue: MemoryQueue }, dies: () => boolean): () => boolean {
  let crashed = false;
  const job = new AsyncLocalStorage<{ dead: boolean }>();
  for (const [kind, handler] of Object.entries(t.queue.handlers)) {
    t.queue.handlers[kind] = (payload, jobId) => job.run({ dead: false }, () => handler(payload, jobId));
  }
  const store = t.store as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const method of Object.getOwnPropertyNames(MemoryStore.prototype)) {
    if (method === "constructor") continue;
    const original = store[method]!.bind(t.store);
    const write = WRITES.includes(method);
    // Not async itself: the store's own synchronous helpers, called from its methods, must still
    // answer values (a dead job's calls fail as the promises its callers await).
    store[method] = (...args: unknown[]) => {
      const running = job.getStore();
      if (running?.dead) return Promise.reject(new WorkerDied());
      if (write && !crashed && dies()) {
        crashed = true;
        if (running) running.dead = true;
        return Promise.reject(new WorkerDied());
      }
      return original(...args);
    };
  }
  return () => crashed;
}
