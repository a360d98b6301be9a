import { readFile } from "node:fs/promises";
import { expect, type Download, type Page } from "@playwright/test";

// What the designer specs do on the page as a user would: find a node, export, lay out, draw an edge.

export const node = (page: Page, name: string) => page.locator(`[data-testid="designer-node"][data-resource="${name}"]`);

export async function exported(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
  return readFile((await (download as Download).path())!, "utf8");
}

/**
 * Auto-layout, then wait until every node sits inside the canvas and has stopped moving (the
 * view is fitted, and its animation over: a drag planned mid-animation misses its handle).
 */
export async function layOut(page: Page) {
  await page.getByRole("button", { name: "Auto-layout" }).click();
  // The button reads "Laying out…" until the positions land; the view is fitted the frame after.
  await expect(page.getByRole("button", { name: "Auto-layout" })).toBeEnabled();
  const canvas = (await page.getByTestId("designer-canvas").boundingBox())!;
  let previous = "";
  await expect
    .poll(async () => {
      const boxes = await Promise.all((await page.getByTestId("designer-node").all()).map((n) => n.boundingBox()));
      const inside = boxes.every((box) => box && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height);
      const now = JSON.stringify(boxes);
      const still = now === previous;
      previous = now;
      return inside && still;
    })
    .toBe(true);
}

/** Draws an edge from a's right handle to b's left handle, as a user drags it. */
export async function connect(page: Page, from: string, to: string) {
  const source = node(page, from).locator(".react-flow__handle.source");
  const target = node(page, to).locator(".react-flow__handle.target");
  const s = (await source.boundingBox())!;
  const t = (await target.boundingBox())!;
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId("connect-chooser")).toBeVisible();
}

/** The canvas' zoom, as React Flow's viewport transform draws it. */
export const zoomOf = (page: Page) => page.locator(".react-flow__viewport").evaluate((v) => new DOMMatrixReadOnly(getComputedStyle(v).transform).a);
