import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "./auth";
import { mutate, query } from "./api";

const template = "heat_template_version: 2018-08-31\nresources:\n  nothing: { type: OS::Heat::None }\n";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page sends you to the login page; a wrong password is refused without saying which part was wrong; signing in brings you back", async ({ page }) => {
    await page.goto("/designer");
    await expect(page).toHaveURL(/\/login\?next=%2Fdesigner$/);
    await expect(page.getByRole("heading", { name: "Sign in to Kiln" })).toBeVisible();
    await expect(page.getByTestId("connection")).toHaveCount(0);
    await page.screenshot({ path: "test-results/login.png", fullPage: true });

    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Wrong user name or password");
    await page.getByLabel("User name").fill("nobody-by-that-name");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Wrong user name or password");
    await page.screenshot({ path: "test-results/login-refused.png", fullPage: true });

    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/designer$/);
    await expect(page.getByTestId("account")).toContainText("admin");
    const cookie = (await page.context().cookies()).find((c) => c.name === "kiln_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("kiln_session");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
  });
});

test("the project switcher shows each project's stacks only", async ({ page, request }) => {
  const projects = await query<{ projects: { name: string }[] }>(request, "session.whoami", undefined);
  if (!projects.projects.some((p) => p.name === "e2e-other")) await mutate(request, "projects.create", { name: "e2e-other" });
  const other = await request.post("/api/trpc/stacks.create", { data: { name: `elsewhere-${Date.now()}`, template }, headers: { "x-kiln-project": "e2e-other" } });
  expect(other.ok()).toBe(true);
  const elsewhere = ((await other.json()) as { result: { data: { name: string } } }).result.data.name;
  const home = await mutate<{ name: string }>(request, "stacks.create", { name: `at-home-${Date.now()}`, template });

  await page.goto("/");
  const switcher = page.getByLabel("Project");
  await expect(switcher).toHaveValue(/.+/);
  await expect(page.getByRole("link", { name: home.name })).toBeVisible();
  await expect(page.getByRole("link", { name: elsewhere })).toHaveCount(0);
  await page.screenshot({ path: "test-results/project-switcher.png" });

  await switcher.selectOption({ label: "e2e-other" });
  await expect(page.getByRole("link", { name: elsewhere })).toBeVisible();
  await expect(page.getByRole("link", { name: home.name })).toHaveCount(0);
  await expect(page.getByLabel("Project").locator("option:checked")).toHaveText("e2e-other");
  // And the API, asked from this browser, agrees: another project's stack is not found.
  const foreign = await page.request.get(`/api/trpc/stacks.show?input=${encodeURIComponent(JSON.stringify({ stack: home.name }))}`);
  expect(foreign.status()).toBe(404);
});

test.describe("a page of another origin, in the same browser as a signed-in Kiln tab", () => {
  let evil: http.Server;
  let evilOrigin: string;
  test.beforeAll(async ({ baseURL }) => {
    // Same site as Kiln (localhost), other port: the browser sends Kiln's cookie along, so only the Origin check stands in the way.
    const kiln = baseURL!;
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>elsewhere</title>
        <form id="f" method="POST" action="${kiln}/api/trpc/stacks.create" enctype="text/plain">
          <input name='{"name":"csrf-victim","template":"heat_template_version: 2018-08-31","x":"' value='"}'>
        </form>
        <script>
          window.socketResult = new Promise((resolve) => {
            const ws = new WebSocket("${kiln.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket");
            ws.onopen = () => resolve("opened");
            ws.onerror = () => resolve("refused");
          });
        </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, "localhost", r));
    evilOrigin = `http://localhost:${(evil.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((r) => evil.close(() => r())));

  test("its WebSocket to Kiln is refused", async ({ page }) => {
    await page.goto(evilOrigin);
    expect(await page.evaluate(() => (window as unknown as { socketResult: Promise<string> }).socketResult)).toBe("refused");
  });

  test("its form posted to Kiln's API is refused, and creates nothing", async ({ page, request }) => {
    await page.goto(evilOrigin);
    await page.locator("#f").evaluate((f: HTMLFormElement) => f.submit());
    await expect(page.locator("body")).toContainText(`Cross-site request refused: origin \\"${evilOrigin}\\" is not this Kiln`);
    const stacks = await query<{ name: string }[]>(request, "stacks.list", undefined);
    expect(stacks.map((s) => s.name)).not.toContain("csrf-victim");
  });
});

test("an administrator adds a user with a role from the Administration page; that user signs in and changes their password", async ({ page, browser }) => {
  const name = `erin-${Date.now() % 100000}`;
  await page.goto("/");
  await page.getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
  await page.getByLabel("New user's name").fill(name);
  await page.getByLabel("New user's password").fill("erin-password");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created user ${name}`);
  const row = page.getByTestId(`user-${name}`);
  await expect(row).toContainText("no role: cannot see any project");

  const roleForm = page.getByRole("form", { name: "Give a role" });
  await roleForm.getByLabel("User").selectOption(name);
  await roleForm.getByLabel("Role").selectOption("member");
  await roleForm.getByLabel("Project").selectOption("admin");
  await roleForm.getByRole("button", { name: "Give role" }).click();
  await expect(row).toContainText("member in admin");

  // The server refuses what would leave Kiln without an administrator, and says so.
  await page.getByTestId("user-admin").getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByTestId("admin-error")).toHaveText("You cannot delete the user you are signed in as");
  await page.screenshot({ path: "test-results/administration.png", fullPage: true });

  const erin = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const erinPage = await erin.newPage();
  await erinPage.goto("/login");
  await erinPage.getByLabel("User name").fill(name);
  await erinPage.getByLabel("Password").fill("erin-password");
  await erinPage.getByRole("button", { name: "Sign in" }).click();
  await expect(erinPage.getByTestId("account")).toContainText(name);
  await expect(erinPage.getByRole("link", { name: "Administration" })).toHaveCount(0);
  await erinPage.getByRole("link", { name }).click();
  await erinPage.getByLabel("Current password").fill("erin-password");
  await erinPage.getByLabel("New password", { exact: true }).fill("erin-new-password");
  await erinPage.getByLabel("New password again").fill("erin-new-password");
  await erinPage.getByRole("button", { name: "Change password" }).click();
  await expect(erinPage.getByRole("status")).toContainText("Password changed");
  await erinPage.screenshot({ path: "test-results/account.png", fullPage: true });
  await erin.close();

  await page.getByTestId(`user-${name}`).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByTestId(`user-${name}`)).toHaveCount(0);
});
