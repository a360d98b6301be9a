import { expect, type APIRequestContext, type Browser } from "@playwright/test";
import { mutate } from "./api";

/**
 * A new user, made a reader of the admin project, signed in through the login page in a browser
 * context of its own at 1366x768. The caller closes the context.
 */
export async function signedInReader(browser: Browser, request: APIRequestContext, name: string) {
  await mutate(request, "users.create", { name, password: `${name}-password` });
  await mutate(request, "roles.add", { user: name, project: "admin", role: "reader" });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password").fill(`${name}-password`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("account")).toContainText(name);
  return { context, page };
}
