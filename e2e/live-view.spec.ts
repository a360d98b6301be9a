import { expect, test, type Page } from "@playwright/test";
import { mutate, query, testTemplate } from "./api";
import { zoomOf } from "./designerPage";

const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource="${name}"]`);

async function createFromUi(page: Page, name: string, template: string, opts: { rollback?: boolean } = {}) {
  await page.goto("/stacks/new");
  await page.getByLabel("Stack name").fill(name);
  await page.getByLabel("Template").fill(template);
  if (opts.rollback) await page.getByLabel("Roll back on failure").check();
  await page.getByRole("button", { name: "Create stack" }).click();
  await page.waitForURL(/\/stacks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("stack-name")).toHaveText(name);
}

test("a stack created from the form converges live on its graph", async ({ page }) => {
  const template = testTemplate(
    {
      network: { wait: 1 },
      subnet: { wait: 5, dependsOn: ["network"] },
      server: { dependsOn: ["subnet"] },
      volume: {},
    },
    "parameters:\n  greeting:\n    type: string\n    default: hello\n  password:\n    type: string\n    hidden: true\n    default: secret",
  );
  // Records every state a node or an edge shows, so a state that only lasts a moment is still seen.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __seen: string[] }).__seen = []);
    const note = (el: Element) => {
      const d = (el as HTMLElement | SVGElement).dataset;
      if (d?.testid === "graph-node") seen.push(`${d.resource}:${d.status}`);
      if (d?.edge) seen.push(`${d.edge}:${d.state}`);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes") note(r.target as Element);
        for (const added of r.addedNodes)
          if (added instanceof Element) {
            note(added);
            added.querySelectorAll("[data-testid=graph-node], [data-edge]").forEach(note);
          }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-state"] });
  });
  await page.goto("/stacks/new");
  await page.getByLabel("Stack name").fill("converge");
  await page.getByLabel("Template").fill(template);
  // The parameters form follows the template: defaults filled in, hidden ones as password fields.
  await expect(page.locator("#param-greeting")).toHaveValue("hello");
  await expect(page.locator("#param-password")).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByTestId("validation-result")).toContainText("The template is valid: 4 resources, 2 parameters");
  await page.getByRole("button", { name: "Create stack" }).click();
  await page.waitForURL(/\/stacks\/[0-9a-f-]{36}$/);

  // Live: every node reaches CREATE_COMPLETE, and the slow subnet was shown in progress on the way.
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  for (const name of ["network", "subnet", "server", "volume"]) {
    await expect(node(page, name)).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 15_000 });
    await expect(node(page, name)).toContainText("CREATE_COMPLETE");
  }
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(seen).toContain("subnet:CREATE_IN_PROGRESS");
  expect(seen.indexOf("subnet:CREATE_IN_PROGRESS")).toBeLessThan(seen.lastIndexOf("subnet:CREATE_COMPLETE"));
  // The edge into the subnet moved while the subnet was built, and lit up once the network was done.
  expect(seen).toContain("network->subnet:active");
  await expect(page.locator('[data-edge="network->subnet"]')).toHaveAttribute("data-state", "satisfied");
  await expect(page.locator('[data-edge="subnet->server"]')).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_COMPLETE");
  await expect(page.getByTestId("resource-counts")).toContainText("4 of 4 resources complete");
  await expect(page.getByTestId("parameters")).toContainText("greeting");
  await page.screenshot({ path: "test-results/live-converge.png", fullPage: true });
  // The graph follows the window's size, centred in the pane each time...
  const offCentre = async () => {
    const pane = (await page.getByTestId("graph").boundingBox())!;
    const boxes = await page.getByTestId("graph-node").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
    const [left, right] = [Math.min(...boxes.map((b) => b.left)), Math.max(...boxes.map((b) => b.right))];
    const [top, bottom] = [Math.min(...boxes.map((b) => b.top)), Math.max(...boxes.map((b) => b.bottom))];
    return Math.hypot((left + right) / 2 - (pane.x + pane.width / 2), (top + bottom) / 2 - (pane.y + pane.height / 2));
  };
  // (a click on the graph, which d3 takes for the start of a pan, is not one)...
  const graph = (await page.getByTestId("graph").boundingBox())!;
  await page.mouse.click(graph.x + graph.width - 40, graph.y + 40);
  for (const [width, height] of [[1366, 768], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await expect.poll(offCentre).toBeLessThan(20);
    await page.screenshot({ path: `test-results/live-converge-${width}.png` });
  }
  // ...until the reader zooms: their view is kept when the window changes again.
  const fitted = await zoomOf(page);
  await page.getByRole("button", { name: "Zoom In" }).click();
  const settled = async () => {
    const zoom = await zoomOf(page);
    await page.evaluate(() => new Promise((done) => setTimeout(done, 100)));
    return zoom === (await zoomOf(page)) ? zoom : 0;
  };
  await expect.poll(settled).toBeGreaterThan(fitted);
  const zoomed = await zoomOf(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  // Two frames: a refit would have happened in the first.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  expect(await zoomOf(page)).toBeCloseTo(zoomed, 3);
});

test("a failing resource shows CREATE_FAILED in red with its reason, on the node and in the stream", async ({ page }) => {
  await createFromUi(page, "failing", testTemplate({ fine: {}, broken: { fail: true, wait: 1, dependsOn: ["fine"] } }));
  const broken = node(page, "broken");
  await expect(broken).toHaveAttribute("data-status", "CREATE_FAILED", { timeout: 15_000 });
  await expect(broken).toContainText("CREATE_FAILED");
  await expect(broken.getByTestId("node-reason")).toContainText("Test Resource failed broken");
  await expect(broken.locator(".rnode-state")).toHaveCSS("color", "rgb(198, 40, 40)");
  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_FAILED");
  await expect(page.getByTestId("stack-reason")).toContainText("Test Resource failed broken");

  // The stack's own reason, longer than the stream is wide, opens in full on a click: whole, and inside the stream.
  const stackFailure = page.getByTestId("stream-row").filter({ has: page.locator(".srow-stack") }).filter({ hasText: "CREATE_FAILED" });
  const stackReason = stackFailure.getByTestId("stream-reason");
  await stackReason.click();
  await expect(stackReason).toHaveAttribute("aria-expanded", "true");
  await expect(stackReason).toContainText("Test Resource failed broken");
  expect(await stackReason.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const [opened, stream] = await Promise.all([stackReason.boundingBox(), page.getByTestId("stream-rows").boundingBox()]);
  expect(opened!.y >= stream!.y && opened!.y + opened!.height <= stream!.y + stream!.height).toBe(true);
  await stackReason.click();
  await expect(stackReason).toHaveAttribute("aria-expanded", "false");

  // Selecting the node filters the stream to it; its failure is there.
  await broken.click();
  await expect(page.getByTestId("resource-filter")).toHaveValue("broken");
  const rows = page.getByTestId("stream-row");
  const failure = rows.filter({ hasText: "CREATE_FAILED" });
  await expect(failure).toHaveCount(1);
  await expect(failure).toContainText("Test Resource failed broken");
  await expect(rows.filter({ hasText: "CREATE_IN_PROGRESS" })).toHaveCount(1);
  expect(await rows.locator(".srow-res").allTextContents()).toEqual(expect.arrayContaining(["broken"]));
  expect(new Set(await rows.locator(".srow-res").allTextContents())).toEqual(new Set(["broken"]));
  // Clicking an event's resource selects that node.
  await page.getByTestId("resource-filter").selectOption("");
  await page.getByTestId("stream-rows").getByRole("button", { name: "fine", exact: true }).first().click();
  await expect(node(page, "fine")).toHaveClass(/rnode-selected/);
  await page.screenshot({ path: "test-results/live-failed.png", fullPage: true });

  // Deleted from its own page: nothing is counted complete any more, and the way back is offered.
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete stack" }).click();
  await expect(page.getByTestId("deleted-notice")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("resource-counts")).toContainText("0 of 2 resources complete");
});

test("clicking a node opens what resource show tells: physical id, state, properties, attributes, neighbours and events; linkable, Escape closes", async ({ page }) => {
  await createFromUi(page, "inspected", testTemplate({ base: {}, top: { dependsOn: ["base"] } }));
  await expect(node(page, "top")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 15_000 });
  await node(page, "base").click();
  const panel = page.getByTestId("resource-panel");
  await expect(panel.getByRole("heading", { name: "base" })).toBeVisible();
  await expect(panel).toContainText("OS::Heat::TestResource");
  await expect(panel).toContainText("CREATE_COMPLETE");
  await expect(panel.getByTestId("physical-id")).toHaveText(/^inspected-base-/);
  await expect(panel.getByTestId("resource-properties")).toContainText("value");
  await expect(panel.getByTestId("resource-attributes")).toContainText("output");
  await expect(panel.getByTestId("resource-events")).toContainText("CREATE_COMPLETE");
  await expect(page).toHaveURL(/\?resource=base$/);
  await page.screenshot({ path: "test-results/resource-panel.png" });

  // Its dependents are one click away; the page's address follows, so the view can be linked.
  await panel.getByRole("button", { name: "top" }).click();
  await expect(panel.getByRole("heading", { name: "top" })).toBeVisible();
  await expect(page).toHaveURL(/\?resource=top$/);
  await page.reload();
  await expect(page.getByTestId("resource-panel").getByRole("heading", { name: "top" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("resource-panel")).toHaveCount(0);
  await expect(page).not.toHaveURL(/resource=/);

  // Why a resource is replaced is a debug message: hidden by default, but the stream says it is there.
  const stackId = new URL(page.url()).pathname.split("/").pop()!;
  const replaced = testTemplate({ base: {}, top: { dependsOn: ["base"] } }).replace("      value: base", "      value: base\n      update_replace_value: changed");
  await mutate(page.request, "stacks.update", { stack: stackId, template: replaced });
  await expect(page.getByTestId("show-debug")).toHaveText(/^\d+ debug messages? hidden: show$/, { timeout: 15_000 });
  await page.getByTestId("show-debug").click();
  await expect(page.getByTestId("stream-row").filter({ hasText: "replacing base because" })).toHaveCount(1);
  await expect(page.getByTestId("show-debug")).toHaveCount(0);
});

test("with rollback on failure, the rollback is visible on the graph and in the stream", async ({ page }) => {
  await createFromUi(page, "rolling", testTemplate({ fine: {}, broken: { fail: true, wait: 1, dependsOn: ["fine"] } }), { rollback: true });
  await expect(page.getByTestId("status-badge").first()).toHaveText("ROLLBACK_COMPLETE", { timeout: 20_000 });
  const rows = page.getByTestId("stream-rows");
  await expect(rows).toContainText("CREATE_FAILED");
  await expect(rows).toContainText("ROLLBACK_IN_PROGRESS");
  await expect(rows).toContainText("ROLLBACK_COMPLETE");
  // The resources created before the failure are deleted again, and stay on the graph.
  await expect(node(page, "fine")).toHaveAttribute("data-status", "DELETE_COMPLETE");
  await expect(node(page, "broken")).toHaveAttribute("data-status", "DELETE_COMPLETE");
  await expect(page.getByTestId("timeline")).toBeVisible();
  await page.screenshot({ path: "test-results/live-rollback.png", fullPage: true });
});

test("after the socket drops mid-deployment, the stream resumes with every event exactly once", async ({ page, request }) => {
  // Long enough (13 s) that the page, however slowly it loads, goes offline mid-deployment.
  const template = testTemplate({
    a: { wait: 5 },
    b: { wait: 3, dependsOn: ["a"] },
    c: { wait: 3, dependsOn: ["b"] },
    d: { wait: 2, dependsOn: ["c"] },
    e: { wait: 1 },
    f: { wait: 2, dependsOn: ["e"] },
  });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "reconnect", template });
  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "connected");
  await expect(node(page, "a")).toHaveAttribute("data-status", /CREATE_/);

  const heldIds = await page.evaluate(() => {
    window.__kilnSocket!.disconnect();
    return window.__kilnStreamIds!.length;
  });
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "disconnected");
  // While offline the deployment moves on: wait until the server has events the page has not.
  await expect
    .poll(async () => (await query<unknown[]>(request, "events.list", { stack: stack.id, nested: true, kinds: ["event", "warning", "debug", "progress"] })).length, { timeout: 15_000 })
    .toBeGreaterThan(heldIds + 1);
  await page.evaluate(() => window.__kilnSocket!.connect());
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "connected");

  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_COMPLETE", { timeout: 20_000 });
  for (const name of ["a", "b", "c", "d", "e", "f"]) await expect(node(page, name)).toHaveAttribute("data-status", "CREATE_COMPLETE");

  const all = await query<{ id: number }[]>(request, "events.list", { stack: stack.id, nested: true, kinds: ["event", "warning", "debug", "progress"] });
  const ids = await page.evaluate(() => window.__kilnStreamIds!);
  expect(ids).toEqual(all.map((e) => e.id));
  // And the list shows each of them once, with every level switched on.
  await page.getByTestId("level-debug").click();
  await expect(page.getByTestId("stream-rows")).toHaveAttribute("data-count", String(all.length));
  const rendered = await page.getByTestId("stream-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
  expect(new Set(rendered).size).toBe(rendered.length);
  await page.screenshot({ path: "test-results/live-reconnect.png", fullPage: true });
});

test("the stream follows the newest rows until the reader scrolls up, then counts what is new", async ({ page, request }) => {
  // Forty rows at once fill the stream; then a slow chain keeps adding rows for a few seconds.
  const resources: Record<string, { wait?: number; dependsOn?: string[] }> = {};
  for (let i = 0; i < 20; i++) resources[`fast${i}`] = {};
  for (let i = 0; i < 12; i++) resources[`slow${i}`] = { wait: 1, dependsOn: i ? [`slow${i - 1}`] : [] };
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "follow", template: testTemplate(resources) });
  await page.goto(`/stacks/${stack.id}`);
  const viewport = page.getByTestId("stream-rows");
  await expect.poll(async () => Number(await viewport.getAttribute("data-count"))).toBeGreaterThan(40);
  await expect(page.getByText("Following")).toBeVisible();
  // The reader's wheel, as a person scrolls: a scroll the page did not ask for by hand may be
  // taken for follow mode's own.
  await viewport.hover();
  await page.mouse.wheel(0, -100_000);
  const follow = page.getByRole("button", { name: /Follow/ });
  await expect(follow).toBeVisible();
  await expect(follow).toContainText(/\(\d+ new\)/, { timeout: 10_000 });
  await follow.click();
  await expect(page.getByText("Following")).toBeVisible();
  // Back at the bottom, and it stays there as rows arrive.
  const newest = async () => (await page.getByTestId("stream-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-id"))))).reduce((a, b) => Math.max(a, b), 0);
  const before = await newest();
  await expect.poll(newest, { timeout: 10_000 }).toBeGreaterThan(before);
  const atBottom = await viewport.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30);
  expect(atBottom).toBe(true);
});

test("zoomed far out, the graph is one drawing whose boxes keep their states and select like nodes", async ({ page, request }) => {
  const resources: Record<string, { dependsOn?: string[] }> = {};
  for (let i = 0; i < 30; i++) resources[`n${i}`] = i % 5 ? { dependsOn: [`n${i - 1}`] } : {};
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "far", template: testTemplate(resources) });
  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_COMPLETE", { timeout: 20_000 });
  const graph = page.getByTestId("graph");
  const box = (await graph.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const far = page.getByTestId("far-graph");
  // Wheeled again until it zooms: the graph takes the wheel once it has its nodes, which a busy
  // machine can hand it after the status shows (CI saw ten turns of the wheel go unheard).
  await expect(async () => {
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
    await expect(far).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(far.getByTestId("graph-node")).toHaveCount(30);
  await expect(far.locator('[data-resource="n7"]')).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await expect(far.locator(".far-edge-satisfied")).toHaveCount(24);
  // Its hover text says what the node's would, put in once the pointer is on it.
  await expect(far.locator("title")).toHaveCount(0);
  await far.locator('[data-resource="n7"]').hover();
  await expect(far.locator('[data-resource="n7"] > title')).toHaveText("n7 (OS::Heat::TestResource) CREATE_COMPLETE");
  // The keyboard walks the drawing as it walks the nodes: an arrow to the next box in line, Enter opens it.
  await far.locator('[data-resource="n6"]').focus();
  await page.keyboard.press("ArrowRight");
  expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.resource)).toBe("n7");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("resource-filter")).toHaveValue("n7");
  // The panel brings the view in to a readable zoom; closed and zoomed out again, a click selects as Enter did.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("resource-panel")).toHaveCount(0);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
  await far.locator('[data-resource="n8"]').click();
  await expect(page.getByTestId("resource-filter")).toHaveValue("n8");
  await page.screenshot({ path: "test-results/live-far.png" });
});

test("a nested stack opens on its own page and converges live there", async ({ page, request }) => {
  const inner = testTemplate({ first: { wait: 2 }, second: { wait: 1, dependsOn: ["first"] } });
  const template = [
    "heat_template_version: 2018-08-31",
    "resources:",
    "  outer:",
    "    type: OS::Heat::TestResource",
    "  inner:",
    "    type: OS::Heat::Stack",
    "    properties:",
    `      template: ${JSON.stringify(inner)}`,
  ].join("\n");
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "parent", template });
  await page.goto(`/stacks/${stack.id}`);
  await node(page, "inner").getByRole("link", { name: "open" }).click();
  await page.waitForURL((url) => url.pathname !== `/stacks/${stack.id}`);
  // The nested stack's own resources, live: its notifications travel in its root's room.
  await expect(node(page, "first")).toHaveAttribute("data-status", /CREATE_(IN_PROGRESS|COMPLETE)/);
  await expect(node(page, "second")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 20_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_COMPLETE");
  await expect(node(page, "outer")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  await expect(page.getByTestId("stream-rows")).toContainText("second");
  await expect(page.getByTestId("stream-rows")).not.toContainText("outer");
  await page.screenshot({ path: "test-results/live-nested.png", fullPage: true });
  await page.getByTestId("root-stack-link").click();
  await expect(page.getByTestId("stack-name")).toHaveText("parent");
});

test("an output that cannot be resolved shows its error as a red line beside the outputs that can", async ({ page, request }) => {
  const template = [
    "heat_template_version: 2018-08-31",
    "resources:",
    "  group:",
    "    type: OS::Heat::ResourceGroup",
    "    properties:",
    "      count: 2",
    "      resource_def: {type: OS::Heat::TestResource, properties: {value: v%index%}}",
    "outputs:",
    "  first: {value: {get_attr: [group, resource.0.output]}}",
    "  missing: {value: {get_attr: [group, resource.5.output]}}",
  ].join("\n");
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "outputs", template });
  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("status-badge").first()).toHaveText("CREATE_COMPLETE", { timeout: 20_000 });
  const output = (key: string) => page.getByTestId("output").filter({ hasText: key });
  await expect(output("first").locator(".kv-value")).toHaveText("v0");
  const error = output("missing").locator(".kv-error");
  await expect(error).toHaveText(`get_attr: group "group" has no member "5" (its members: 0, 1)`);
  await expect(error).toHaveCSS("color", "rgb(198, 40, 40)");
  await page.getByTestId("outputs").screenshot({ path: "test-results/output-error.png" });
});

test("the stack list follows a stack live and deletes it after confirmation", async ({ page, request }) => {
  await mutate(request, "stacks.create", { name: "listed", template: testTemplate({ only: { wait: 2 } }) });
  await page.goto("/");
  const row = page.locator('[data-testid="stack-row"][data-stack="listed"]');
  await expect(row.getByTestId("status-badge")).toHaveText("CREATE_COMPLETE", { timeout: 15_000 });
  await row.getByRole("button", { name: "Delete listed" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete stack “listed”?");
  await dialog.getByRole("button", { name: "Delete stack" }).click();
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await page.screenshot({ path: "test-results/list-after-delete.png", fullPage: true });
  await page.goto("/stacks/new");
  await page.getByRole("button", { name: "Insert an example" }).click();
  await expect(page.locator("#param-greeting")).toHaveValue("hello");
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: "test-results/new-stack-1366.png" });
});

test("the stack page's HTML asks for the stack's data before its scripts run, once; an address cannot inject script", async ({ page, request }) => {
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "asked-early", template: testTemplate({ only: {} }) });
  const asked: string[] = [];
  page.on("request", (r) => {
    if (/\/api\/trpc\/.*(stacks\.show|resources\.list)/.test(r.url())) asked.push(decodeURIComponent(new URL(r.url()).pathname));
  });
  await page.goto(`/stacks/${stack.id}`);
  await expect(node(page, "only")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  // Until the graph was drawn, each read went out once, as the HTML asked for it (one query per
  // request, where the page's own calls are batched), and before the document was parsed.
  expect(asked.slice(0, 2).sort()).toEqual(["/api/trpc/resources.list", "/api/trpc/stacks.show"]);
  const started = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const data = performance.getEntriesByType("resource").find((r) => r.name.includes("/api/trpc/stacks.show?"));
    return { data: data?.startTime, parsed: nav.domInteractive };
  });
  expect(started.data).toBeLessThan(started.parsed);

  // The address is the stack's name or id, and goes into that script: it cannot end it.
  const hostile = '</script><script>window.__injected=1</script>"\u2028';
  await page.goto(`/stacks/${encodeURIComponent(hostile)}`);
  await expect(page.getByRole("heading", { name: "Stack not found" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});
