import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { mutate, query } from "./api";
import { E2E_ADMIN_PASSWORD } from "./auth";

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

test("the empty list's terminal hint works as written, from Kiln's folder", async ({ page, request }) => {
  const stacks = await query<{ id: string; name: string }[]>(request, "stacks.list", undefined);
  test.skip(stacks.length > 0, "the hint shows only while the list is empty");
  await page.goto("/");
  const lines = (await page.getByTestId("cli-hint").locator("code").innerText()).split("\n");
  expect(lines).toHaveLength(2);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-hint-"));
  const template = path.join(scratch, "template.yaml");
  fs.writeFileSync(template, "heat_template_version: 2021-04-16\nresources:\n  token:\n    type: OS::Heat::RandomString\n");
  // The password is what a person would type at the prompt; the token goes to a scratch config directory.
  const env = { ...process.env, KILN_USERNAME: "admin", KILN_PASSWORD: E2E_ADMIN_PASSWORD, XDG_CONFIG_HOME: scratch, KILN_URL: "", KILN_TOKEN: "" };
  for (const line of lines) {
    const words = line.replace("NAME", "from-the-hint").replace("template.yaml", template).split(" ");
    execFileSync(words[0], words.slice(1), { cwd: process.cwd(), env, stdio: "pipe", timeout: 120_000 });
  }
  const made = (await query<{ id: string; name: string; stackStatus: string }[]>(request, "stacks.list", undefined)).find((s) => s.name === "from-the-hint");
  expect(made?.stackStatus).toBe("CREATE_COMPLETE");
  await mutate(request, "stacks.delete", { stack: made!.id });
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
