import { expect, test } from "@playwright/test";
import { mutate, query } from "./api";

test("the home page shows the empty stack list with a way to create one", async ({ page, request }) => {
  // Other specs share this server: clear what they left, so the list is really empty.
  const stacks = await query<{ id: string }[]>(request, "stacks.list", undefined);
  for (const s of stacks) await mutate(request, "stacks.delete", { stack: s.id });
  await expect.poll(async () => (await query<unknown[]>(request, "stacks.list", undefined)).length, { timeout: 30_000 }).toBe(0);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Stacks", exact: true })).toBeVisible();
  const empty = page.getByTestId("stacks-empty");
  await expect(empty).toContainText("No stacks yet");
  await expect(empty.getByRole("link", { name: "Create your first stack" })).toHaveAttribute("href", "/stacks/new");
  await page.screenshot({ path: "test-results/home.png", fullPage: true });
});

test("the live indicator turns connected through socket.io", async ({ page }) => {
  const socketRequests: string[] = [];
  page.on("websocket", (ws) => socketRequests.push(ws.url()));
  await page.goto("/");
  const indicator = page.getByTestId("connection");
  await expect(indicator).toHaveAttribute("data-state", "connected");
  await expect(indicator).toHaveText("Live");
  expect(socketRequests.some((u) => u.includes("/socket.io/"))).toBe(true);
});

test("health and version endpoints answer", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, database: { ok: true, provider: "sqlite" }, queue: { running: true } });
  const version = await request.get("/version");
  expect(await version.json()).toMatchObject({ name: "kiln" });
});
