import { describe, expect, it } from "vitest";
import { matchLines, mergeFormatting } from "./lineMerge";

describe("keeping untouched lines as written", () => {
  it("aligns equal lines", () => {
    expect(matchLines(["a", "b", "c"], ["a", "x", "c"])).toEqual([
      [0, 0],
      [2, 2],
    ]);
  });

  it("restores the original's formatting wherever the edit did not reach", () => {
    const original = "a: { x: 1 }\nb: 2   # note\nc: 3\n";
    const baseline = "a: {x: 1}\nb: 2 # note\nc: 3\n";
    const edited = "a: {x: 1}\nb: 2 # note\nc: 4\n";
    expect(mergeFormatting(original, baseline, edited)).toBe("a: { x: 1 }\nb: 2   # note\nc: 4\n");
  });

  it("uses the new rendering for a line the edit changed", () => {
    const original = "a: { x: 1 }\nb: 2\n";
    const baseline = "a: {x: 1}\nb: 2\n";
    const edited = "a: {x: 9}\nb: 2\n";
    expect(mergeFormatting(original, baseline, edited)).toBe("a: {x: 9}\nb: 2\n");
  });

  it("keeps a multi-line hunk that yaml folds into one line", () => {
    const original = "d: >\n  one\n  two\nz: 1\n";
    const baseline = "d: >\n  one two\nz: 1\n";
    const edited = "d: >\n  one two\nz: 1\ny: 2\n";
    expect(mergeFormatting(original, baseline, edited)).toBe("d: >\n  one\n  two\nz: 1\ny: 2\n");
  });
});
