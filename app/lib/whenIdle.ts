/** The longest work waits for the page to be idle. */
const IDLE_WAIT = 1000;

/**
 * Runs `fn` when the page is next idle (at most IDLE_WAIT later): after whatever input, drawing
 * and other tasks are waiting. Answers how to cancel it.
 */
export function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === "undefined") {
    const t = setTimeout(fn, 0);
    return () => clearTimeout(t);
  }
  const id = requestIdleCallback(fn, { timeout: IDLE_WAIT });
  return () => cancelIdleCallback(id);
}
