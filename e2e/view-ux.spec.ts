import { expect, test, type Page } from "@playwright/test";
import { mutate, query, testTemplate } from "./api";

test.use({ viewport: { width: 1366, height: 768 } });

const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource="${name}"]`);
const params = (page: Page) => new URL(page.url()).searchParams;

async function settled(request: Parameters<typeof query>[0], id: string, state: string) {
  await expect.poll(async () => (await query<{ stackStatus: string }>(request, "stacks.show", { stack: id })).stackStatus, { timeout: 30_000 }).toBe(state);
}

const chain = (a: string) => `heat_template_version: 2018-08-31
resources:
  a: {type: OS::Heat::TestResource, properties: ${a}}
  reader: {type: OS::Heat::TestResource, properties: {value: {get_attr: [a, output]}}}
  waits: {type: OS::Heat::TestResource, depends_on: a, properties: {value: fixed}}
`;

test("the update preview on the canvas marks what reads a replaced resource as may change", async ({ page, request }) => {
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "maychange", template: chain("{value: one}") });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}/edit`);
  await expect(page.getByTestId("designer-node")).toHaveCount(3, { timeout: 15_000 });
  await page.getByTestId("designer-import").setInputFiles({ name: "next.yaml", mimeType: "text/yaml", buffer: Buffer.from(chain("{value: two, update_replace: true}")) });
  await page.getByRole("button", { name: "Preview update" }).click();
  const summary = page.getByTestId("preview-summary");
  await expect(summary).toContainText("1 replaced");
  await expect(summary).toContainText("1 may change");
  await expect(summary).toContainText("1 unchanged");
  const badge = (name: string) => page.locator(`[data-testid="designer-node"][data-resource="${name}"] [data-testid="preview-badge"]`);
  await expect(badge("a")).toHaveText("replaced");
  await expect(badge("reader")).toHaveText("may change");
  await expect(badge("reader")).toHaveAttribute("title", "reads a, which is replaced");
  await expect(badge("waits")).toHaveCount(0);
  await page.screenshot({ path: "test-results/view-ux-preview-may-change.png" });
});

test("the selected resource and the stream's filters live in the URL: a linked view opens as it was left", async ({ page, request }) => {
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "linked", template: testTemplate({ db: {}, app: { dependsOn: ["db"] } }) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "db")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await page.getByTestId("level-debug").click();
  await page.getByLabel("Filter by text").fill("COMPLETE");
  await node(page, "app").click();
  await expect.poll(() => params(page).get("resource")).toBe("app");
  expect(params(page).get("levels")).toBe("event,warning,debug");
  expect(params(page).get("text")).toBe("COMPLETE");
  const rowsShown = await page.getByTestId("stream-rows").getAttribute("data-count");

  await page.goto(page.url());
  await expect(page.getByTestId("resource-panel")).toBeVisible();
  await expect(page.getByTestId("resource-filter")).toHaveValue("app");
  await expect(page.getByLabel("Filter by text")).toHaveValue("COMPLETE");
  await expect(page.getByTestId("level-debug")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("stream-rows")).toHaveAttribute("data-count", rowsShown!);
  // Times say when in full on hover: a date and a timezone.
  const time = page.getByTestId("stack-page").getByTestId("relative-time").first();
  await expect(time).toHaveAttribute("title", /\d{4}.*\d\d:\d\d:\d\d.*(UTC|GMT|[A-Z]{3,4})/);
  // So do the event stream's rows, beside its clock (local time to the millisecond), with what the row is.
  const row = page.getByTestId("stream-row").first();
  await expect(row.locator(".srow-time")).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await row.hover();
  await expect(row).toHaveAttribute("title", new RegExp(`^#${await row.getAttribute("data-id")} \\w{3} \\d+, \\d{4}.*\\d\\d:\\d\\d:\\d\\d`));
  await expect(page.getByTestId("timeline-axis")).toContainText("0");
  await page.screenshot({ path: "test-results/view-ux-linked.png", fullPage: true });

  // Clearing them clears the URL too.
  await page.keyboard.press("Escape");
  await expect.poll(() => params(page).has("resource")).toBe(false);
});

test("the stack list is searched, filtered by status and sorted, its state in the URL", async ({ page, request }) => {
  const made = ["list-alpha", "list-beta", "list-gamma"];
  for (const name of made) await mutate(request, "stacks.create", { name, template: testTemplate({ r: {} }) });
  const failing = await mutate<{ id: string }>(request, "stacks.create", { name: "list-broken", template: testTemplate({ r: { fail: true } }), disableRollback: true });
  await settled(request, failing.id, "CREATE_FAILED");
  await page.goto("/");
  const names = () => page.getByTestId("stack-row").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.stack));
  await page.getByTestId("stack-search").fill("list-");
  await expect.poll(names).toEqual(["list-broken", "list-gamma", "list-beta", "list-alpha"]);
  await page.getByTestId("sort-name").click();
  await expect.poll(names).toEqual(["list-alpha", "list-beta", "list-broken", "list-gamma"]);
  await page.getByTestId("sort-name").click();
  await expect.poll(names).toEqual(["list-gamma", "list-broken", "list-beta", "list-alpha"]);
  await page.getByTestId("status-filter").selectOption("failed");
  await expect.poll(names).toEqual(["list-broken"]);
  await expect(page.getByTestId("stacks-shown")).toContainText("1 of");
  expect(Object.fromEntries(params(page))).toEqual({ search: "list-", sort: "name", dir: "desc", status: "failed" });
  await page.screenshot({ path: "test-results/view-ux-list-filtered.png" });

  await page.goto(page.url());
  await expect.poll(names).toEqual(["list-broken"]);
  await expect(page.getByTestId("stack-search")).toHaveValue("list-");
  await page.getByTestId("status-filter").selectOption("");
  await page.getByTestId("stack-search").fill("nothing-like-this");
  await expect(page.getByTestId("stacks-none-match")).toBeVisible();
});

test("while the server cannot be reached a banner says so, and failed actions can be dismissed and clear on recovery", async ({ page, request }) => {
  test.setTimeout(120_000);
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "outage", template: testTemplate({ r: {} }) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  let down = false;
  // Every live connection of the page goes through here, so the server can be "stopped" for this page alone.
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (down) return ws.close();
    ws.connectToServer();
    const stop = setInterval(() => down && (clearInterval(stop), ws.close()), 50);
  });
  await page.route(/\/(api\/trpc|socket\.io)\//, (route) => (down ? route.abort("connectionrefused") : route.fallback()));
  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId("outage-banner")).toHaveCount(0);

  down = true;
  await expect(page.getByTestId("outage-banner")).toHaveText(/Kiln is unreachable — retrying…/, { timeout: 10_000 });
  await page.getByRole("button", { name: "Check" }).click();
  const failure = page.getByTestId("action-error");
  await expect(failure).toContainText("Kiln could not be reached");
  await page.screenshot({ path: "test-results/view-ux-outage.png" });
  await failure.getByRole("button", { name: "Dismiss" }).click();
  await expect(failure).toHaveCount(0);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(failure).toBeVisible();

  down = false;
  // A connection this route closes before its handshake (unlike one refused by a stopped
  // server) is given up by socket.io only at its 20 s connect timeout; the next attempt gets through.
  await expect(page.getByTestId("outage-banner")).toHaveCount(0, { timeout: 45_000 });
  await expect(failure).toHaveCount(0);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "connected");
  // Nothing was done while the server was away.
  expect((await query<{ stackStatus: string }>(request, "stacks.show", { stack: stack.id })).stackStatus).toBe("CREATE_COMPLETE");
});

test("graph nodes are reached with Tab and the arrow keys, and Enter opens the resource's panel", async ({ page, request }) => {
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "keys", template: testTemplate({ first: {}, second: { dependsOn: ["first"] }, third: { dependsOn: ["second"] } }) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "third")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  const focusedResource = () => page.evaluate(() => (document.activeElement?.querySelector("[data-testid=graph-node]") as HTMLElement | null)?.dataset.resource);
  // Tab from the page's last control before the graph until a node has the focus.
  await page.getByRole("button", { name: "Delete…" }).focus();
  for (let i = 0; i < 10 && !(await focusedResource()); i++) await page.keyboard.press("Tab");
  expect(await focusedResource()).toBe("first");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector(".rnode")!).outlineStyle);
  expect(outline).toBe("solid");
  // Laid out left to right along the dependencies.
  await page.keyboard.press("ArrowRight");
  expect(await focusedResource()).toBe("second");
  await page.keyboard.press("ArrowRight");
  expect(await focusedResource()).toBe("third");
  await page.keyboard.press("ArrowLeft");
  expect(await focusedResource()).toBe("second");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("resource-panel")).toHaveAttribute("aria-label", "Resource second");
  await expect.poll(() => params(page).get("resource")).toBe("second");
  await page.screenshot({ path: "test-results/view-ux-keyboard.png" });
});

test("at 1366×768 a resource's panel leaves its node readable and in view beside it, however wide the graph", async ({ page, request }) => {
  // Eight in a row: fitted into what the panel leaves, they would be drawn at about a third of their size.
  const resources: Record<string, { dependsOn?: string[] }> = {};
  for (let i = 0; i < 8; i++) resources[`step${i}`] = i ? { dependsOn: [`step${i - 1}`] } : {};
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "wide", template: testTemplate(resources) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "step7")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await node(page, "step6").click();
  const panel = page.getByTestId("resource-panel");
  await expect(panel).toHaveAttribute("aria-label", "Resource step6");
  const zoom = () => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")!).transform).a);
  await expect.poll(zoom).toBeGreaterThanOrEqual(0.74);
  // The clicked node is whole, left of the panel and inside the graph.
  await expect
    .poll(async () => {
      const [n, p, g] = await Promise.all([node(page, "step6").boundingBox(), panel.boundingBox(), page.locator(".react-flow").boundingBox()]);
      return !!n && !!p && !!g && n.x >= g.x && n.x + n.width <= p.x && n.y >= g.y && n.y + n.height <= g.y + g.height;
    })
    .toBe(true);
  // Beside the open panel the timeline's heading is above the fold, and nothing covers React Flow's attribution.
  await expect(page.locator(".timeline-toggle")).toBeInViewport({ ratio: 1 });
  const [attribution, beside] = await Promise.all([page.locator(".react-flow__attribution").boundingBox(), panel.boundingBox()]);
  expect(attribution!.x + attribution!.width <= beside!.x || attribution!.y + attribution!.height <= beside!.y).toBe(true);
  // A long property name stays whole on one line, not broken mid-word.
  const longName = panel.locator(".kv-key", { hasText: "constraint_prop_secs" });
  await expect(longName).toHaveText("constraint_prop_secs");
  expect(await longName.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height < 20)).toBe(true);
  await page.screenshot({ path: "test-results/view-ux-panel-1366.png" });
});

test("thirty resources that all need one are drawn as a grid beside it, readable, not as one tall column", async ({ page, request }) => {
  const resources: Record<string, { dependsOn?: string[] }> = { hub: {} };
  for (let i = 0; i < 30; i++) resources[`spoke${i}`] = { dependsOn: ["hub"] };
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "fan-thirty", template: testTemplate(resources) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "spoke29")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  const boxes = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="graph-node"]')].map((n) => ({ name: n.dataset.resource!, ...n.getBoundingClientRect().toJSON() }) as { name: string; x: number; y: number; width: number }),
    );
  const spokes = async () => (await boxes()).filter((b) => b.name.startsWith("spoke"));
  await expect.poll(async () => new Set((await spokes()).map((b) => Math.round(b.x))).size).toBeGreaterThanOrEqual(3);
  const hub = (await boxes()).find((b) => b.name === "hub")!;
  for (const spoke of await spokes()) expect(spoke.x, spoke.name).toBeGreaterThan(hub.x + hub.width);
  // Fitted, a name is still at least 10px high (the far drawing's names are 30 units).
  const zoom = () => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")!).transform).a);
  await expect.poll(zoom).toBeGreaterThanOrEqual(1 / 3);
  await page.screenshot({ path: "test-results/view-ux-fan-thirty.png" });
});

test("forty resources that depend on nothing are drawn side by side, readable, not as one tall column", async ({ page, request }) => {
  const resources: Record<string, { dependsOn?: string[] }> = {};
  for (let i = 0; i < 40; i++) resources[`leaf${i}`] = {};
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "flat-forty", template: testTemplate(resources) });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "leaf39")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  const columns = () =>
    page.evaluate(() => new Set([...document.querySelectorAll('[data-testid="graph-node"]')].map((n) => Math.round(n.getBoundingClientRect().x))).size);
  await expect.poll(columns).toBeGreaterThanOrEqual(3);
  const zoom = () => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector(".react-flow__viewport")!).transform).a);
  await expect.poll(zoom).toBeGreaterThanOrEqual(0.45);
  await page.screenshot({ path: "test-results/view-ux-flat-forty.png" });
});
