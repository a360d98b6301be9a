import { describe, expect, it } from "vitest";
import { inSlices, Slots } from "./pace";

describe("work in slices", () => {
  it("hands consecutive slices to the work and lets other callbacks run between them", async () => {
    const seen: string[] = [];
    const items = Array.from({ length: 600 }, (_, i) => i);
    setImmediate(() => seen.push("other work"));
    await inSlices(items, (slice) => void seen.push(`${slice[0]}..${slice.at(-1)}`));
    expect(seen).toEqual(["0..249", "other work", "250..499", "500..599"]);
  });

  it("does nothing for no items", async () => {
    let calls = 0;
    await inSlices([], () => void calls++);
    expect(calls).toBe(0);
  });
});

describe("slots", () => {
  it("runs at most their number of tasks at once, the others in the order they asked, and frees a slot when a task fails", async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 1) throw new Error("task 1 fails");
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => slots.run(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await slots.run(async () => "after")).toBe("after");
  });
});
