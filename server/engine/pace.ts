/**
 * Work over a user-sized collection (a thousand rows, a thousand group members) is done in
 * slices, giving the event loop a turn between them: one job must never hold the process for
 * long, or health checks, socket writes and every other stack's jobs wait behind it.
 */

/** Rows or items handled between two turns of the event loop. */
export const SLICE = 250;

/** Lets everything already waiting on the event loop run first. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Calls `work` on consecutive slices of `items`, with a turn of the event loop between slices. */
export async function inSlices<T>(items: readonly T[], work: (slice: T[]) => Promise<void> | void, size = SLICE) {
  for (let i = 0; i < items.length; i += size) {
    if (i > 0) await nextTurn();
    await work(items.slice(i, i + size));
  }
}

/** Runs at most `size` tasks at once; the others wait, first come first served. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
