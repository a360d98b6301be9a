import { expect, test } from "@playwright/test";
import { makeKeystoneUser, memberCredentials, type KeystoneTestUser } from "../server/clouds/testing/testCloud";

const member = memberCredentials();
/** A Keystone user of the test cloud made for this spec, with a password no page could show by chance. */
let user: KeystoneTestUser;
let projectName: string;

test.beforeAll(async () => {
  user = await makeKeystoneUser("kiln-e2e");
  projectName = user.projectName;
});

test.afterAll(async () => {
  await user?.remove();
});

test("a project's cloud credentials: fields checked, a wrong password refused in Keystone's words, the right one saved and never shown back", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto("/");
  await page.getByRole("link", { name: "Cloud" }).click();
  await expect(page).toHaveURL(/\/cloud$/);
  await expect(page.getByTestId("cloud-none")).toContainText("This project has no credentials of its own");

  const form = page.getByRole("form", { name: "Set the project's credentials" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Give Keystone's URL")).toBeVisible();
  await expect(form.getByText("Give the user's password")).toBeVisible();
  await expect(form.getByLabel("Auth URL")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Auth URL").fill(member.authUrl);
  await form.getByLabel("User name").fill(user.name);
  await form.getByLabel("Password").fill("not-the-password");
  await form.getByLabel("Project", { exact: true }).fill(projectName);
  await form.getByLabel("Region").fill(member.region ?? "");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("cloud-refused")).toContainText("The request you have made requires authentication");
  await expect(page.getByTestId("cloud-none")).toBeVisible();
  await page.screenshot({ path: "test-results/cloud-refused.png" });

  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Test without saving" }).click();
  await expect(page.getByTestId("cloud-notice")).toContainText("Keystone accepts these credentials");
  await expect(page.getByTestId("cloud-none")).toBeVisible();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("cloud-notice")).toContainText("Keystone accepted the credentials");
  const view = page.getByTestId("cloud-view");
  await expect(view).toContainText(member.authUrl);
  await expect(view).toContainText(user.name);
  await expect(view).toContainText(projectName);
  await expect(page.getByTestId("cloud-secret")).toHaveText("password: set");
  await expect(form.getByLabel("Password")).toHaveValue("");
  await page.screenshot({ path: "test-results/cloud-saved.png" });

  // Nothing the page holds, nor what it loads afresh, carries the password.
  await page.reload();
  await expect(page.getByTestId("cloud-secret")).toHaveText("password: set");
  expect(await page.content()).not.toContain(user.password);
  const shown = await page.request.get("/api/trpc/cloud.show");
  expect(await shown.text()).not.toContain(user.password);

  // A pasted clouds.yaml entry goes through the same check.
  await form.getByLabel("Paste a clouds.yaml entry").check();
  await form.getByRole("textbox", { name: "clouds.yaml" }).fill(`clouds:\n  mine:\n    auth:\n      auth_url: ${member.authUrl}\n      username: ${user.name}\n      password: wrong\n      project_name: ${projectName}\n      user_domain_id: default\n      project_domain_id: default\n`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("cloud-refused")).toContainText("The request you have made requires authentication");
  await form.getByRole("textbox", { name: "clouds.yaml" }).fill("clouds:\n  a: {}\n  b: {}\n");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("The text has 2 clouds (a, b); paste one, or name which")).toBeVisible();
  await expect(page.getByTestId("cloud-view")).toContainText(user.name);

  await page.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove credentials" }).click();
  await expect(page.getByTestId("cloud-none")).toBeVisible();
});
