import { expect, test, type Locator, type Page } from "@playwright/test";
import { parse } from "yaml";
import { mutate, query } from "./api";
import { connect, exported, layOut, node, zoomOf } from "./designerPage";

// The designer as a user reads it: the layout it draws, large templates, and how honest its status is.
test.use({ viewport: { width: 1366, height: 768 } });


/** A stack of OS::Heat::Value resources, made through the API; `links` are name → what it reads. */
async function makeStack(page: Page, prefix: string, links: Record<string, string[]>): Promise<string> {
  const lines = ["heat_template_version: 2021-04-16", "resources:"];
  for (const [name, reads] of Object.entries(links)) {
    lines.push(`  ${name}:`, "    type: OS::Heat::Value", "    properties:");
    lines.push(reads.length ? `      value: { list_join: [",", [${reads.map((r) => `{ get_attr: [${r}, value] }`).join(", ")}]] }` : `      value: ${name}`);
  }
  const stack = await mutate<{ id: string }>(page.request, "stacks.create", { name: `${prefix}-${Date.now()}`, template: lines.join("\n") + "\n" });
  await expect.poll(async () => (await query<{ stackStatus: string }>(page.request, "stacks.show", { stack: stack.id })).stackStatus, { timeout: 30_000 }).toBe("CREATE_COMPLETE");
  return stack.id;
}

/** Each node's layer: the rank of its left edge among the distinct left edges (to the pixel). */
async function layers(nodes: Locator): Promise<Record<string, number>> {
  const boxes = await nodes.evaluateAll((els) => els.map((e) => [e.getAttribute("data-resource")!, Math.round(e.getBoundingClientRect().left)] as const));
  const xs = [...new Set(boxes.map(([, x]) => x))].sort((a, b) => a - b);
  return Object.fromEntries(boxes.map(([name, x]) => [name, xs.indexOf(x)]));
}

/** Where an edge's line starts and ends on screen. */
const edgeEnds = (page: Page, id: string) =>
  page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`).evaluate((p: SVGPathElement) => {
    const m = p.getScreenCTM()!;
    const at = (l: number) => p.getPointAtLength(l).matrixTransform(m);
    const a = at(0);
    const b = at(p.getTotalLength());
    return { start: { x: a.x, y: a.y }, end: { x: b.x, y: b.y } };
  });


test("auto-layout draws twenty resources that all read one as a grid beside it, not one tall column", async ({ page }) => {
  const links: Record<string, string[]> = { hub: [] };
  for (let i = 0; i < 20; i++) links[`spoke${i}`] = ["hub"];
  const id = await makeStack(page, "fan", links);
  await page.goto(`/stacks/${encodeURIComponent(id)}/edit`);
  await expect(page.getByTestId("designer-node")).toHaveCount(21);
  await layOut(page);
  const boxes = await page.getByTestId("designer-node").evaluateAll((els) => els.map((e) => ({ name: e.getAttribute("data-resource")!, ...e.getBoundingClientRect().toJSON() }) as { name: string; x: number; width: number }));
  const hub = boxes.find((b) => b.name === "hub")!;
  const spokes = boxes.filter((b) => b.name.startsWith("spoke"));
  expect(new Set(spokes.map((b) => Math.round(b.x))).size).toBeGreaterThanOrEqual(3);
  for (const spoke of spokes) expect(spoke.x, spoke.name).toBeGreaterThan(hub.x + hub.width);
  await page.screenshot({ path: "test-results/designer-fan.png" });
});

test("auto-layout draws every edge from its dependency's right side into its dependent's left side, in the layers the live view uses", async ({ page }) => {
  const links = { base: [], left: ["base"], right: ["base"], top: ["left", "right"] };
  const id = await makeStack(page, "layout", links);

  await page.goto(`/stacks/${encodeURIComponent(id)}`);
  await expect(page.getByTestId("graph-node")).toHaveCount(4);
  const live = await layers(page.getByTestId("graph-node"));

  await page.goto(`/stacks/${encodeURIComponent(id)}/edit`);
  await expect(page.getByTestId("designer-node")).toHaveCount(4);
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);
  // Once the fitted view has settled, every edge leaves a node's right side and enters one's left side.
  await expect
    .poll(async () => {
      for (const edge of await page.locator(".react-flow__edge").all()) {
        const eid = (await edge.getAttribute("data-id"))!;
        const ends = await edgeEnds(page, eid);
        const boxes = await Promise.all(
          (await page.getByTestId("designer-node").all()).map(async (n) => ({ name: await n.getAttribute("data-resource"), box: (await n.boundingBox())! })),
        );
        const near = (p: { x: number; y: number }, side: "left" | "right") =>
          boxes.find(({ box }) => Math.abs((side === "right" ? box.x + box.width : box.x) - p.x) < 8 && p.y > box.y && p.y < box.y + box.height)?.name;
        if (!near(ends.start, "right") || !near(ends.end, "left")) return `edge ${eid} runs from ${JSON.stringify(ends.start)} to ${JSON.stringify(ends.end)}`;
      }
      return "all on the sides";
    })
    .toBe("all on the sides");
  expect(await layers(page.getByTestId("designer-node"))).toEqual(live);
  expect(live).toEqual({ base: 0, left: 1, right: 1, top: 2 });
  await page.screenshot({ path: "test-results/designer-layout.png" });
});

test("a 30-resource stack's edit page opens readable in the far drawing, which the keyboard walks; the overview stays off the canvas; the find box centres and selects", async ({ page }) => {
  const links: Record<string, string[]> = {};
  for (let i = 0; i < 30; i++) links[`item${String(i).padStart(2, "0")}`] = i < 6 ? [] : [`item${String(i - 6).padStart(2, "0")}`];
  const id = await makeStack(page, "large", links);

  await page.goto(`/stacks/${encodeURIComponent(id)}/edit`);
  const far = page.getByTestId("far-graph");
  await expect(far.getByTestId("designer-node")).toHaveCount(30);
  // The whole template in view, each name whole and drawn at least 9.5px high on screen.
  const name = far.locator('[data-resource="item00"] .far-name');
  await expect(name).toHaveText("item00");
  expect(await name.evaluate((e) => e.getBoundingClientRect().height)).toBeGreaterThanOrEqual(9.5);
  const canvas = (await page.getByTestId("designer-canvas").boundingBox())!;
  for (const n of ["item00", "item29"]) {
    const b = (await far.locator(`[data-resource="${n}"]`).boundingBox())!;
    expect(b.x >= canvas.x && b.y >= canvas.y && b.x + b.width <= canvas.x + canvas.width && b.y + b.height <= canvas.y + canvas.height).toBe(true);
  }
  await page.screenshot({ path: "test-results/designer-large.png" });

  // Tab from the palette reaches the first resource; the arrows follow the layout; Enter selects.
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.resource);
  await page.getByTestId("palette").locator("button").last().focus();
  for (let i = 0; i < 5 && !(await focused()); i++) await page.keyboard.press("Tab");
  expect(await focused()).toBe("item00");
  await page.keyboard.press("ArrowRight");
  expect(await focused()).toBe("item06");
  await page.keyboard.press("ArrowDown");
  expect(await focused()).toBe("item07");
  await page.keyboard.press("Enter");
  await expect(far.locator('[data-resource="item07"]')).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("inspector").getByLabel("Resource name")).toHaveValue("item07");
  await page.screenshot({ path: "test-results/designer-far-keys.png" });

  // Panned so the template runs under the canvas' corners: the overview is beside the canvas, never over it.
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width / 2 - 300, canvas.y + canvas.height / 2 - 200, { steps: 5 });
  await page.mouse.up();
  const overview = (await page.getByTestId("canvas-overview").boundingBox())!;
  expect(overview.x + overview.width <= canvas.x || overview.x >= canvas.x + canvas.width || overview.y >= canvas.y + canvas.height || overview.y + overview.height <= canvas.y).toBe(true);
  await expect(page.locator(".react-flow__minimap")).toHaveCount(0);

  const find = page.getByTestId("find-resource");
  await find.fill("item27");
  await find.press("Enter");
  await expect(node(page, "item27")).toHaveClass(/dnode-selected/);
  await expect(page.getByTestId("inspector").getByLabel("Resource name")).toHaveValue("item27");
  await expect
    .poll(async () => {
      const b = (await node(page, "item27").boundingBox())!;
      return Math.hypot(b.x + b.width / 2 - (canvas.x + canvas.width / 2), b.y + b.height / 2 - (canvas.y + canvas.height / 2));
    })
    .toBeLessThan(20);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.9);
  await expect(far).toHaveCount(0);

  await find.fill("nothing-like-it");
  await find.press("Enter");
  await expect(page.getByText("No single resource matches “nothing-like-it”")).toBeVisible();
  await page.screenshot({ path: "test-results/designer-find.png" });
});

test("a 300-resource draft opens laid out in its far drawing, each box in a place of its own, kept across a reload; its YAML editor holds it", async ({ page }) => {
  const lines = ["heat_template_version: 2021-04-16", "resources:"];
  for (let i = 0; i < 300; i++) lines.push(`  big${i}:`, "    type: OS::Heat::None", ...(i >= 10 ? [`    depends_on: big${i - 10}`] : []));
  await page.goto("/designer?fresh");
  // Drawn, the fresh designer has stored its own draft: the one written now is not overwritten.
  await expect(page.locator(".yaml-panel-head .muted")).toBeVisible();
  await expect(page).toHaveURL(/\/designer$/);
  await page.evaluate((text) => localStorage.setItem("kiln.designer.draft", text), lines.join("\n") + "\n");
  await page.reload();
  await expect(page.locator(".yaml-panel-head .muted")).toHaveText("300 resources");
  const boxes = page.getByTestId("far-graph").getByTestId("designer-node");
  await expect(boxes).toHaveCount(300);
  // Each box's place from big0's, in box widths: the same however the view is fitted to the canvas.
  const places = () =>
    boxes.evaluateAll((els) => {
      const origin = els.find((e) => e.getAttribute("data-resource") === "big0")!.getBoundingClientRect();
      return Object.fromEntries(els.map((e) => [e.getAttribute("data-resource"), [(e.getBoundingClientRect().x - origin.x) / origin.width, (e.getBoundingClientRect().y - origin.y) / origin.width].map((v) => v.toFixed(1)).join(",")]));
    });
  const first = await places();
  expect(new Set(Object.values(first)).size).toBe(300);
  await page.screenshot({ path: "test-results/designer-300.png" });
  const remembered = () => page.evaluate(() => localStorage.getItem("kiln.designer.positions.draft"));
  const stored = await remembered();

  await page.reload();
  await expect(boxes).toHaveCount(300);
  expect(await remembered()).toBe(stored);
  expect(await places()).toEqual(first);
  await expect(page.getByTestId("yaml-editor")).toContainText("big0:");
});

test("a template with a warning is not shown as plain Valid, and its message reads in full", async ({ page }) => {
  await page.goto("/designer?fresh");
  await expect(page.getByTestId("designer-status")).toHaveText("Valid");
  // `filter` came with 2017-02-24: in an older template it is plain data, which Heat accepts with a warning.
  const template = ["heat_template_version: 2016-04-08", "resources:", "  note:", "    type: OS::Heat::Value", "    properties:", "      value: { filter: [[a], [a, b]] }", ""].join("\n");
  await page.getByTestId("designer-import").setInputFiles({ name: "warned.yaml", mimeType: "text/yaml", buffer: Buffer.from(template) });
  await expect(page.getByTestId("designer-status")).toHaveText("Valid, 1 warning");
  await expect(page.getByTestId("designer-status")).toHaveClass(/badge-warning/);
  const item = page.getByTestId("problem-list").locator("li").first();
  await expect(item).toContainText(/"filter" is not a function in heat_template_version 2016-04-08 .*; it is treated as plain data\.$/);
  // Nothing of it is cut off: the button is as wide as its content and shows all of it.
  expect(await item.locator("button").evaluate((b) => b.scrollWidth <= b.clientWidth && b.scrollHeight <= b.clientHeight + 1)).toBe(true);
  await page.screenshot({ path: "test-results/designer-warning.png" });
});

test("a template whose graph reads but whose YAML the editor's Document refuses is shown read-only, naming the line", async ({ page }) => {
  await page.goto("/designer?fresh");
  // A comment needs a space before it: js-yaml reads past this, the Document every edit goes through does not.
  const template = ["heat_template_version: 2021-04-16", "resources:", "  web:", "    type: OS::Heat::Value", "    properties:", '      value: "web"# no space', ""].join("\n");
  await page.getByTestId("designer-import").setInputFiles({ name: "odd.yaml", mimeType: "text/yaml", buffer: Buffer.from(template) });
  await expect(page.getByRole("status").filter({ hasText: "The YAML does not parse (line 6" })).toBeVisible();
});

test("New stack: an empty required parameter is marked and blocks Create, naming it; broken YAML is flagged as it is typed", async ({ page }) => {
  await page.goto("/stacks/new");
  await page.getByLabel("Stack name").fill(`needs-${Date.now()}`);
  const template = page.locator("#template");
  await template.fill("heat_template_version: 2021-04-16\nresources:\n  bad: [\n");
  await expect(page.getByTestId("template-syntax")).toContainText("line 4");
  await expect(template).toHaveAttribute("aria-invalid", "true");

  await template.fill(
    ["heat_template_version: 2021-04-16", "parameters:", "  key_name:", "    type: string", "  flavor:", "    type: string", "    default: m1.tiny", "resources:", "  note:", "    type: OS::Heat::Value", "    properties:", "      value: { get_param: key_name }", ""].join("\n"),
  );
  await expect(page.getByTestId("template-syntax")).toHaveCount(0);
  const key = page.getByLabel(/key_name/);
  await expect(key).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel(/flavor/)).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByTestId("create-blocked")).toHaveText("To create the stack, give a value for key_name.");
  await expect(page.getByRole("button", { name: "Create stack" })).toBeDisabled();
  await page.screenshot({ path: "test-results/new-stack-required.png", fullPage: true });

  await key.fill("my-key");
  await expect(page.getByTestId("create-blocked")).toHaveCount(0);
  await expect(key).toHaveAttribute("aria-invalid", "false");
  await page.getByRole("button", { name: "Create stack" }).click();
  await page.waitForURL(/\/stacks\/[^/]+$/);
});

test("the designer's papercuts: newest version, keyed-map sub-forms, placeholder comments that go, Value fed its value, and New with undo", async ({ page }) => {
  await page.goto("/designer?fresh");
  const yaml = page.getByTestId("yaml-editor");
  await expect(yaml).toContainText("heat_template_version: 2021-04-16");

  const palette = page.getByTestId("palette");
  await palette.locator('[data-type="OS::Heat::Value"]').click();
  await expect(yaml).toContainText("# required any");
  const inspector = page.getByTestId("inspector");
  const value = inspector.locator('[data-property="value"] textarea');
  await value.fill("hello");
  await value.blur();
  await expect(yaml).toContainText("value: hello");
  await expect(yaml).not.toContainText("# required");

  await palette.locator('[data-type="OS::Heat::TestResource"]').click();
  const waits = inspector.locator('fieldset[data-property="action_wait_secs"]');
  await expect(waits.locator("#prop-action_wait_secs-create")).toBeVisible();
  await waits.locator("#prop-action_wait_secs-create").fill("3");
  await waits.locator("#prop-action_wait_secs-create").press("Enter");
  expect(parse(await exported(page)).resources.test_resource.properties.action_wait_secs).toEqual({ create: 3 });

  await connect(page, "test_resource", "value");
  const chooser = page.getByTestId("connect-chooser");
  await chooser.getByLabel(/get_attr into a property/).check();
  await expect(chooser.getByLabel("Property of the dependent resource")).toHaveValue("value");
  await chooser.getByRole("button", { name: "Cancel" }).click();

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "New", exact: true }).click();
  await expect(page.getByTestId("designer-node")).toHaveCount(0);
  await expect(yaml).toContainText("heat_template_version: 2021-04-16");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("designer-node")).toHaveCount(2);
});
