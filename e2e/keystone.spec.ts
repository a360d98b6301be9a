/**
 * Keystone mode in a real browser: a second Kiln (UI included, from the same build) that
 * takes Keystone users, against minicloud's real Keystone. Skipped, loudly, only with
 * KILN_TEST_NO_KEYSTONE=1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ensureTestUsers, keystoneEnv, keystoneSkipped, OTHER_PROJECT, USERS } from "../server/testing/keystone";

const port = Number(process.env.E2E_KEYSTONE_PORT ?? 3211);
const url = `http://localhost:${port}`;
let server: ChildProcess | undefined;
let dir: string;

test.skip(keystoneSkipped, "KILN_TEST_NO_KEYSTONE=1");
test.use({ storageState: { cookies: [], origins: [] }, baseURL: url });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await ensureTestUsers();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-e2e-keystone-"));
  server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: `file:${dir}/kiln.db`, KILN_DATA_DIR: dir, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", ...keystoneEnv() },
    stdio: "ignore",
  });
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 200 || server.exitCode !== null) throw new Error("the Keystone-mode Kiln did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(() => {
  server?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a Keystone user signs in with their password and domain, switches project (the role follows), and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expect(page.getByText("Sign in with your OpenStack (Keystone) user")).toBeVisible();
  await expect(page.getByLabel("Domain")).toHaveValue("Default");
  await page.getByLabel("User name").fill(USERS.reader.name);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong user name or password");

  await page.getByLabel("Password").fill(USERS.reader.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${url}/`);
  const account = page.getByTestId("account");
  await expect(account).toContainText(USERS.reader.name);
  await expect(account.locator("[title]")).toHaveAttribute("title", "reader in demo");
  await page.screenshot({ path: "test-results/keystone-signed-in.png", fullPage: true });

  await account.getByRole("combobox").selectOption({ label: OTHER_PROJECT });
  await expect(account.locator("[title]")).toHaveAttribute("title", `member in ${OTHER_PROJECT}`);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
});
