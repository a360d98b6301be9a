import { expect, test, type Page } from "@playwright/test";
import { mutate, query, testTemplate } from "./api";
import { zoomOf } from "./designerPage";

/** A CSS attribute value in quotes, escaped: names may hold quotes, brackets and backslashes. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, "\\$&")}"`;
const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource=${quoted(name)}]`);

async function settled(request: Parameters<typeof query>[0], id: string, state: string) {
  await expect.poll(async () => (await query<{ stackStatus: string }>(request, "stacks.show", { stack: id })).stackStatus, { timeout: 30_000 }).toBe(state);
}

test("after an update that replaces a resource, its node shows the new copy and every resource counts complete, after a reload too", async ({ page, request }) => {
  const resources: Record<string, { dependsOn?: string[] }> = {};
  for (let i = 0; i < 30; i++) resources[`n${i}`] = i % 5 ? { dependsOn: [`n${i - 1}`] } : {};
  const v1 = testTemplate(resources);
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "replacing", template: v1 });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("resource-counts")).toContainText("30 of 30 resources complete");
  const before = (await query<{ physicalId: string }>(request, "resources.show", { stack: stack.id, resource: "n7" })).physicalId;

  // update_replace_value cannot change in place: n7 is replaced, its old copy deleted last.
  await mutate(request, "stacks.update", { stack: stack.id, template: v1.replace("      value: n7\n", "      value: n7\n      update_replace_value: two\n") });
  await expect(page.getByTestId("status-badge").first()).toHaveText("UPDATE_COMPLETE", { timeout: 30_000 });
  const after = (await query<{ physicalId: string }>(request, "resources.show", { stack: stack.id, resource: "n7" })).physicalId;
  expect(after).not.toBe(before);
  const rows = page.getByTestId("stream-rows");
  await expect(rows.locator(`[data-testid="stream-row"]:has-text("DELETE_COMPLETE")`)).toHaveCount(1);
  await expect(node(page, "n7")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await expect(page.getByTestId("resource-counts")).toContainText("30 of 30 resources complete");
  // The two copies are told apart in the stream by their physical ids (the tail, the whole on hover).
  const deletion = rows.getByTestId("stream-row").filter({ hasText: "DELETE_COMPLETE" });
  await expect(deletion.getByTestId("stream-physical-id")).toHaveAttribute("title", before);
  await expect(deletion.getByTestId("stream-physical-id")).toHaveText(`…${before.slice(-6)}`);
  await expect(rows.getByTestId("stream-row").filter({ hasText: "n7" }).filter({ hasText: "CREATE_COMPLETE" }).last().getByTestId("stream-physical-id")).toHaveAttribute("title", after);
  await page.screenshot({ path: "test-results/live-replaced.png", fullPage: true });

  await page.reload();
  await expect(page.getByTestId("status-badge").first()).toHaveText("UPDATE_COMPLETE");
  await expect(rows.getByTestId("stream-row").filter({ hasText: "DELETE_COMPLETE" })).toHaveCount(1);
  await expect(node(page, "n7")).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await expect(page.getByTestId("resource-counts")).toContainText("30 of 30 resources complete");
});

test("after a failed create rolls back, the cause stays on the stack, on the failed resource, in the timeline and in the list", async ({ page, request }) => {
  const template = testTemplate({ fine: {}, broken: { fail: true, wait: 1, dependsOn: ["fine"] } });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "undone", template, disableRollback: false });
  await page.goto(`/stacks/${stack.id}`);
  const badge = page.getByTestId("status-badge").first();
  await expect(badge).toHaveText("ROLLBACK_COMPLETE", { timeout: 20_000 });
  // Not the grey of a quiet state, nor the green of a success.
  await expect(badge).toHaveClass(/badge-rolledback/);
  await expect(page.getByTestId("stack-reason")).toHaveText("Stack ROLLBACK completed after: Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken");
  const broken = node(page, "broken");
  await expect(broken).toHaveAttribute("data-status", "DELETE_COMPLETE");
  await expect(broken.getByTestId("node-reason")).toHaveText("CREATE_FAILED: ValueError: resources.broken: Test Resource failed broken");
  await expect(node(page, "fine").getByTestId("node-reason")).toHaveCount(0);
  await expect(page.getByTestId("resource-counts")).toContainText("1 failed, then rolled back or retried");
  // The timeline keeps the failed create beside the rollback's deletions.
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator('.tl-row[data-failed="CREATE_FAILED"]')).toHaveCount(1);
  await expect(timeline.locator(".tl-row.tl-failed")).toContainText("broken");
  await expect(timeline.locator(".tl-bar.tone-bg-failed")).toHaveCount(1);
  await page.screenshot({ path: "test-results/live-rolled-back.png", fullPage: true });

  await page.reload();
  await expect(badge).toHaveText("ROLLBACK_COMPLETE");
  await expect(broken.getByTestId("node-reason")).toContainText("CREATE_FAILED: ");
  await expect(timeline.locator('.tl-row[data-failed="CREATE_FAILED"]')).toHaveCount(1);

  await page.goto("/");
  const row = page.locator('[data-testid="stack-row"][data-stack="undone"]');
  await expect(row.getByTestId("status-badge")).toHaveClass(/badge-rolledback/);
  await expect(row.locator(".row-reason")).toContainText("Test Resource failed broken");
  await page.screenshot({ path: "test-results/list-rolled-back.png" });
});

test("a failed update rolled back keeps the resource's failure beside its restored state", async ({ page, request }) => {
  const v1 = testTemplate({ base: {}, app: { dependsOn: ["base"] } });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "reverted", template: v1, disableRollback: false });
  await settled(request, stack.id, "CREATE_COMPLETE");
  await page.goto(`/stacks/${stack.id}`);
  await mutate(request, "stacks.update", { stack: stack.id, template: v1.replace("      value: app\n", "      value: app2\n      fail: true\n") });
  await expect(page.getByTestId("status-badge").first()).toHaveText("ROLLBACK_COMPLETE", { timeout: 20_000 });
  await expect(page.getByTestId("stack-reason")).toContainText("Stack ROLLBACK completed after: Resource UPDATE failed");
  const app = node(page, "app");
  await expect(app).toHaveAttribute("data-status", /(UPDATE|CREATE)_COMPLETE/);
  await expect(app.getByTestId("node-reason")).toContainText("UPDATE_FAILED: ");
  await expect(page.getByTestId("timeline").locator('.tl-row[data-failed="UPDATE_FAILED"]')).toHaveCount(1);
  await page.screenshot({ path: "test-results/live-update-rolled-back.png", fullPage: true });
});

test('resource names with " \' \\ ] spaces and unicode never throw on the live view, the edit page or the designer', async ({ page, request }) => {
  const names = ['say "hi"', "it's", "back\\slash", "br]acket[", "with space", "ünïcødé"];
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const lines = ["heat_template_version: 2018-08-31", "resources:"];
  names.forEach((name, i) => {
    lines.push(`  ${JSON.stringify(name)}:`, "    type: OS::Heat::TestResource");
    if (i) lines.push(`    depends_on: [${JSON.stringify(names[i - 1])}]`);
  });
  const template = `${lines.join("\n")}\n`;
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "oddnames", template });
  await settled(request, stack.id, "CREATE_COMPLETE");

  await page.goto(`/stacks/${stack.id}`);
  await expect(page.getByTestId("graph-node")).toHaveCount(names.length, { timeout: 15_000 });
  for (const name of names) await expect(node(page, name)).toHaveAttribute("data-status", "CREATE_COMPLETE");
  await node(page, names[0]).click();
  await expect(page.getByTestId("resource-filter")).toHaveValue(names[0]);

  await page.goto(`/stacks/${stack.id}/edit`);
  const designerNodes = page.getByTestId("designer-node");
  await expect(designerNodes).toHaveCount(names.length, { timeout: 15_000 });
  const drawn = await designerNodes.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.resource!));
  expect([...drawn].sort()).toEqual([...names].sort());
  // Six in a row are more than this narrow canvas holds at an editable zoom: they open as nodes
  // from the first, not as the far drawing, where nothing can be connected. Finding the second
  // one centres it, its neighbours either side.
  await expect(page.getByTestId("far-graph")).toHaveCount(0);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.75);
  await page.getByTestId("find-resource").fill(names[1]);
  await page.getByTestId("find-resource").press("Enter");
  await expect(page.getByTestId("far-graph")).toHaveCount(0);
  const near = await designerNodes.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.resource!));
  drawn.splice(0, drawn.length, ...near);
  await designerNodes.nth(drawn.indexOf(names[0])).click();
  // A connection dragged from one odd name onto another: React Flow looks the handles up by node id.
  const s = (await designerNodes.nth(drawn.indexOf(names[0])).locator(".react-flow__handle.source").boundingBox())!;
  const t = (await designerNodes.nth(drawn.indexOf(names[2])).locator(".react-flow__handle.target").boundingBox())!;
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId("connect-chooser")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Preview update" }).click();
  await expect(page.getByTestId("preview-summary")).toBeVisible();
  await page.screenshot({ path: "test-results/edit-odd-names.png" });
  expect(errors).toEqual([]);

  await page.goto("/designer");
  await page.getByTestId("designer-import").setInputFiles({ name: "odd.yaml", mimeType: "text/yaml", buffer: Buffer.from(template) });
  await expect(designerNodes).toHaveCount(names.length);
  await designerNodes.first().click();
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  expect(errors).toEqual([]);
});
