/**
 * Retakes the README's screenshot of a stack's live view (public/screenshots/stack.png).
 * Run by hand against a running server: KILN_URL=http://localhost:3000 KILN_ADMIN_PASSWORD=… npx tsx e2e/readmeScreenshots.ts
 * It creates a stack named "web-tier" in the admin's project and leaves it there.
 */
import { chromium, request } from "@playwright/test";
import { mutate, query } from "./api";

const baseURL = process.env.KILN_URL ?? "http://localhost:3000";
const password = process.env.KILN_ADMIN_PASSWORD;
if (!password) throw new Error("set KILN_ADMIN_PASSWORD to the admin's password");

// Heat's own types, so it converges in about ten seconds without a cloud: a visible chain
// (secret → network → subnet → app config → endpoint), one resource beside it, two outputs.
const template = `heat_template_version: 2018-08-31
description: A web tier's wiring, stood in for by Heat's own resource types
resources:
  db_password:
    type: OS::Heat::RandomString
    properties:
      length: 24
  network:
    type: OS::Heat::TestResource
    properties:
      value: net-web
      action_wait_secs: { create: 2 }
  subnet:
    type: OS::Heat::TestResource
    properties:
      value: { list_join: ["-", [{ get_attr: [network, output] }, "10.0.0.0/24"]] }
      action_wait_secs: { create: 3 }
  app_config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: db_password }]
      config: |
        #!/bin/sh
        echo "DB_PASSWORD=$db_password" > /etc/app.env
        systemctl restart app
  endpoint:
    type: OS::Heat::Value
    depends_on: [app_config]
    properties:
      value: { str_replace: { template: "https://web.example.org/?subnet=SUBNET", params: { SUBNET: { get_attr: [subnet, output] } } } }
  cache:
    type: OS::Heat::TestResource
    depends_on: [db_password]
    properties:
      value: redis
      action_wait_secs: { create: 1 }
outputs:
  endpoint_url:
    description: Where the web tier answers
    value: { get_attr: [endpoint, value] }
  app_config_id:
    description: The software config a server would run
    value: { get_resource: app_config }
`;

const api = await request.newContext({ baseURL });
const signIn = await api.post("/api/session", { data: { username: "admin", password } });
if (!signIn.ok()) throw new Error(`signing in as admin failed: ${signIn.status()}`);
const stack = await mutate<{ id: string }>(api, "stacks.create", { name: "web-tier", template });
for (let tries = 0; ; tries++) {
  const { stackStatus: status } = await query<{ stackStatus: string }>(api, "stacks.show", { stack: stack.id });
  if (status === "CREATE_COMPLETE") break;
  if (!status.endsWith("IN_PROGRESS") || tries > 60) throw new Error(`the stack ended ${status}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const context = await browser.newContext({ baseURL, storageState: await api.storageState() });
for (const [width, height, path] of [
  [1920, 1080, "public/screenshots/stack.png"],
  [1366, 768, "test-results/stack-1366.png"],
] as const) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`/stacks/${stack.id}?resource=endpoint`);
  await page.getByTestId("connection").and(page.locator('[data-state="connected"]')).waitFor();
  await page.waitForTimeout(1000); // the graph's fit-view animation
  await page.screenshot({ path });
  console.log(`${path} (${width}x${height})`);
}
await browser.close();
await api.dispose();
