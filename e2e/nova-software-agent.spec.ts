/**
 * A Nova server booted with `user_data_format: SOFTWARE_CONFIG` on the test cloud, as a person
 * sees it on the stack page: like a DeployedServer, its node tells of its agent and its panel
 * gives the command that connects one (readers are told why they see none); a Nova server
 * booted without it shows neither. The fake hypervisor runs no guest, so the test runs the
 * panel's command itself, as a person would on the server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { mutate, query } from "./api";
import { expectCommandRefused, revealedAgentCommand } from "./agentPanel";
import { signedInReader } from "./reader";
import { startAgent, type AgentProcess } from "../server/testing/agentProcess";
import { cloudSkipped, testCloud } from "../server/clouds/testing/testCloud";

const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource="${name}"]`);

const template = (fx: { image: string; flavor: string }) => `
heat_template_version: 2018-08-31
resources:
  app_vm:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }], user_data_format: SOFTWARE_CONFIG, software_config_transport: POLL_TEMP_URL }
  plain_vm:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
  hello:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      outputs: [{ name: greeting }]
      config: |
        #!/bin/sh
        echo "configuring the app"
        printf "hello from the vm" > "$heat_outputs_path.greeting"
  deploy_hello:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: hello }, server: { get_resource: app_vm }, signal_transport: TEMP_URL_SIGNAL }
outputs:
  greeting: { value: { get_attr: [deploy_hello, greeting] } }
`;

test.describe.configure({ mode: "serial" });
test.skip(cloudSkipped, "KILN_TEST_NO_CLOUD=1: no cloud to boot a Nova server in");

let agent: AgentProcess | undefined;
let stackId: string | undefined;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-e2e-nova-agent-"));

test.afterAll(async ({ request }) => {
  test.setTimeout(180_000);
  await agent?.stop("SIGKILL");
  fs.rmSync(stateDir, { recursive: true, force: true });
  // The cloud keeps nothing of this run: the stack (and its servers) is deleted, and waited for.
  if (stackId) {
    await mutate(request, "stacks.delete", { stack: stackId });
    await expect.poll(async () => (await query<{ id: string }[]>(request, "stacks.list", {})).some((s) => s.id === stackId), { timeout: 150_000 }).toBe(false);
  }
});

test("a SOFTWARE_CONFIG Nova server shows its agent and the command to connect one, as a DeployedServer does; a plain Nova server shows neither", async ({ page, request }) => {
  test.setTimeout(240_000);
  const fx = await testCloud();
  await page.setViewportSize({ width: 1366, height: 768 });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "nova-app", template: template(fx) });
  stackId = stack.id;
  await page.goto(`/stacks/${stack.id}`);

  await expect(node(page, "app_vm")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 120_000 });
  await expect(node(page, "plain_vm")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 120_000 });
  await expect(node(page, "app_vm").getByTestId("node-agent")).toHaveText("agent not connected yet");
  await expect(node(page, "plain_vm").getByTestId("node-agent")).toHaveCount(0);
  await expect(node(page, "deploy_hello")).toHaveAttribute("data-status", "CREATE_IN_PROGRESS");

  const panel = page.getByTestId("resource-panel");
  await node(page, "plain_vm").click();
  await expect(panel.getByRole("heading", { name: "plain_vm" })).toBeVisible();
  await expect(panel.getByTestId("agent-section")).toHaveCount(0);

  await node(page, "app_vm").click();
  await expect(panel.getByTestId("agent-state")).toHaveText("Agent not connected");
  const command = panel.getByTestId("agent-command");
  await expect(command).toContainText(/KILN_AGENT_CREDENTIAL='••••••••' \\\s+kiln agent --url http/);
  await page.screenshot({ path: "test-results/nova-agent-not-connected-1366.png" });
  const { credential, url, serverId } = await revealedAgentCommand(panel);
  // The command names the server by Nova's id, the one the resource shows.
  const shown = await query<{ physicalId: string }>(request, "resources.show", { stack: stack.id, resource: "app_vm" });
  expect(serverId).toBe(shown.physicalId);

  // Run as the command says: the node and the panel turn connected without a reload, and the deployment completes.
  agent = startAgent({ url, serverId, credential, stateDir });
  await expect(node(page, "app_vm").getByTestId("node-agent")).toHaveText("agent connected · websocket", { timeout: 15_000 });
  await expect(panel.getByTestId("agent-state")).toHaveText("Agent connected");
  await expect(panel.getByTestId("agent-transport")).toHaveText("websocket");
  await expect(node(page, "deploy_hello")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 30_000 });
  await expect(page.getByTestId("outputs")).toContainText("hello from the vm");
  await page.screenshot({ path: "test-results/nova-agent-connected-1366.png" });
});

test("a reader sees a SOFTWARE_CONFIG Nova server's agent but not the command: it holds the server's credential", async ({ browser, request }) => {
  const { context: reader, page } = await signedInReader(browser, request, "nyx");
  try {
    await page.goto(`/stacks/${stackId}`);
    await expect(node(page, "app_vm").getByTestId("node-agent")).toHaveText("agent connected · websocket");
    await node(page, "app_vm").click();
    const panel = page.getByTestId("resource-panel");
    await expect(panel.getByTestId("agent-state")).toHaveText("Agent connected");
    await expectCommandRefused(panel);
    await page.screenshot({ path: "test-results/nova-agent-reader-1366.png" });
  } finally {
    await reader.close();
  }
});
