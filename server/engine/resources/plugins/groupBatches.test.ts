/**
 * Which members a batch moves to the new definition, as Heat 19's member_definitions chooses
 * them (heat/scaling/template.py): the highest-priority members first, and only those whose own
 * definition changes count against the batch.
 */
import { describe, expect, it } from "vitest";
import { afterBatch, byIndex, nextBatchOf, startBatches, type MemberDefinitions } from "./groupBatches";

const names = ["0", "1", "2", "3", "4"];
const allOld: MemberDefinitions = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 };
const NEWEST = 1;

/** The members a rolling update of five, two at a time, leaves after its first batch. */
function firstBatch(changes: (name: string, from: number) => boolean) {
  const { batch } = nextBatchOf(startBatches(5, 5, 2, 0))!;
  return afterBatch(allOld, batch, 5, NEWEST, names, byIndex, changes);
}

describe("afterBatch", () => {
  it("moves the highest-indexed members first when every definition changes", () => {
    expect(firstBatch(() => true)).toEqual({ 0: 0, 1: 0, 2: 0, 3: NEWEST, 4: NEWEST });
  });

  it("lets a member whose definition stays take no place: the batch goes on to the next that changes", () => {
    // 4 renders the same on both: it is on the new definition for free; 3 and 2 fill the batch.
    expect(firstBatch((name) => name !== "4")).toEqual({ 0: 0, 1: 0, 2: NEWEST, 3: NEWEST, 4: NEWEST });
  });

  it("compares no member once the batch is full", () => {
    const compared: string[] = [];
    firstBatch((name) => (compared.push(name), true));
    expect(compared).toEqual(["4", "3"]);
  });
});
