import { describe, expect, it } from "vitest";
import { inSlices } from "./pace";

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
