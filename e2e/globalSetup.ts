import { request, type FullConfig } from "@playwright/test";
import { ADMIN_SESSION, E2E_ADMIN_PASSWORD } from "./auth";

/** Signs in once as the admin (the API, as the login page does) and keeps the session cookie for every test's browser and request context. */
export default async function globalSetup(config: FullConfig) {
  const context = await request.newContext({ baseURL: config.projects[0]!.use.baseURL });
  const res = await context.post("/api/session", { data: { username: "admin", password: E2E_ADMIN_PASSWORD } });
  if (!res.ok()) throw new Error(`signing in as admin failed: ${res.status()} ${await res.text()}`);
  await context.storageState({ path: ADMIN_SESSION });
  await context.dispose();
}
