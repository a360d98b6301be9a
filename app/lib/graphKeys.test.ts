import { describe, expect, it } from "vitest";
import { nearestInDirection, type Box } from "./graphKeys";

// Two rows of three, 200 wide and 80 high, 40 apart: a1 a2 a3 over b1 b2 b3.
const box = (id: string, col: number, row: number): Box => ({ id, x: col * 240, y: row * 120, w: 200, h: 80 });
const boxes = [box("a1", 0, 0), box("a2", 1, 0), box("a3", 2, 0), box("b1", 0, 1), box("b2", 1, 1), box("b3", 2, 1)];
const go = (from: string, dir: Parameters<typeof nearestInDirection>[2]) => nearestInDirection(boxes.find((b) => b.id === from)!, boxes, dir);

describe("arrow keys on the graph", () => {
  it("go to the next node along the row or the column", () => {
    expect(go("a1", "ArrowRight")).toBe("a2");
    expect(go("a2", "ArrowLeft")).toBe("a1");
    expect(go("a2", "ArrowDown")).toBe("b2");
    expect(go("b3", "ArrowUp")).toBe("a3");
  });

  it("stop at the edge of the graph", () => {
    expect(go("a3", "ArrowRight")).toBeUndefined();
    expect(go("a1", "ArrowUp")).toBeUndefined();
  });
});
