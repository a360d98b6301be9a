import { describe, expect, it } from "vitest";
import { axisTicks } from "./timeAxis";

describe("the timeline's time axis", () => {
  it("ticks at round steps, no more than asked, from the start", () => {
    expect(axisTicks(4_200)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(axisTicks(75_000)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
    expect(axisTicks(38 * 60_000).length).toBeLessThanOrEqual(8);
    expect(axisTicks(38 * 60_000)[1]).toBe(300_000);
  });

  it("a very short operation still has ticks inside it", () => {
    expect(axisTicks(300)).toEqual([0, 100, 200, 300]);
  });
});
