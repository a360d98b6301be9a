/**
 * Software deployments as a person watches them: a DeployedServer whose node says no agent is
 * connected and whose panel gives the command to connect one; that command, run as a real
 * `kiln agent` process, turns the node connected live; the deployment's log lines arrive in its
 * panel while the script runs, then its status code and outputs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { mutate } from "./api";
import { expectCommandRefused, revealedAgentCommand } from "./agentPanel";
import { signedInReader } from "./reader";
import { startAgent, type AgentProcess } from "../server/testing/agentProcess";

const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource="${name}"]`);

// The script waits between its lines, so they can be seen arriving while it still runs.
const template = `
heat_template_version: 2018-08-31
description: One server, one script deployed to it
resources:
  web_server: { type: OS::Heat::DeployedServer }
  install:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: site }]
      outputs: [{ name: url, description: Where the site answers }]
      config: |
        #!/bin/sh
        echo "installing $site"
        sleep 8
        echo "writing the configuration of $site"
        echo "warning: no TLS certificate for $site, serving plain HTTP" >&2
        printf 'http://%s/' "$site" > "$heat_outputs_path.url"
        echo "done"
  deploy_site:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: install }, server: { get_resource: web_server }, input_values: { site: shop.example } }
outputs:
  url: { value: { get_attr: [deploy_site, url] } }
`;

// The reader's test looks at the stack and the agent the first one leaves behind.
test.describe.configure({ mode: "serial" });

let agent: AgentProcess | undefined;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-e2e-agent-"));
test.afterAll(async () => {
  await agent?.stop("SIGKILL");
  fs.rmSync(stateDir, { recursive: true, force: true });
});

test("a server's agent connects with the command its panel gives, and the deployment's log, status code and outputs show live", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: "website", template });
  await page.goto(`/stacks/${stack.id}`);

  // No agent yet: the node says so, and the deployment waits for one.
  await expect(node(page, "web_server")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 15_000 });
  await expect(node(page, "web_server").getByTestId("node-agent")).toHaveText("agent not connected yet");
  await expect(node(page, "deploy_site")).toHaveAttribute("data-status", "CREATE_IN_PROGRESS");

  await node(page, "web_server").click();
  const panel = page.getByTestId("resource-panel");
  await expect(panel.getByTestId("agent-state")).toHaveText("Agent not connected");
  const command = panel.getByTestId("agent-command");
  // The credential is masked until asked for; the copy button copies it whole.
  await expect(command).toContainText(/KILN_AGENT_CREDENTIAL='••••••••' \\\s+kiln agent --url http/);
  await page.screenshot({ path: "test-results/software-agent-not-connected-1366.png" });
  const { credential, url, serverId } = await revealedAgentCommand(panel);

  // Run as the command says: the node turns connected without a reload.
  agent = startAgent({ url, serverId, credential, stateDir });
  await expect(node(page, "web_server").getByTestId("node-agent")).toHaveText("agent connected · websocket", { timeout: 15_000 });
  await expect(panel.getByTestId("agent-state")).toHaveText("Agent connected");
  await expect(panel.getByTestId("agent-transport")).toHaveText("websocket");
  await page.screenshot({ path: "test-results/software-agent-connected-1366.png" });

  // The panel leaves the graph room beside it: one click on the deployment, and its log
  // arrives while the script still runs.
  await node(page, "deploy_site").click();
  await expect(panel.getByRole("heading", { name: "deploy_site" })).toBeVisible();
  await expect(panel.getByTestId("resource-log")).toContainText("stdout: installing shop.example", { timeout: 15_000 });
  await expect(panel.getByTestId("deploy-status-code")).toHaveText("not reported yet");
  await expect(node(page, "deploy_site")).toHaveAttribute("data-status", "CREATE_IN_PROGRESS");
  await page.screenshot({ path: "test-results/software-deployment-running-1366.png" });

  // Then the server's report: status code 0, the declared output, stdout and stderr.
  await expect(node(page, "deploy_site")).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 20_000 });
  await expect(panel.getByTestId("resource-log")).toContainText("stdout: writing the configuration of shop.example");
  await expect(panel.getByTestId("resource-log")).toContainText("stderr: warning: no TLS certificate for shop.example");
  await expect(panel.getByTestId("deploy-status-code")).toHaveText("0");
  await expect(panel.getByTestId("deploy-config")).toContainText("(script)");
  await expect(panel.getByTestId("deploy-outputs")).toContainText("http://shop.example/");
  await expect(panel.getByTestId("deploy-stdout")).toContainText("done");
  await expect(panel.getByTestId("deploy-stderr")).toContainText("(1 line)");
  await expect(page.getByTestId("outputs")).toContainText("http://shop.example/");
  await page.screenshot({ path: "test-results/software-deployment-done-1366.png" });

  // The agent stops: its node says so at once, and when it was last seen.
  await agent.stop();
  await expect(node(page, "web_server").getByTestId("node-agent")).toHaveText("agent not connected · seen just now", { timeout: 10_000 });
  agent = startAgent({ url, serverId, credential, stateDir });
  await expect(node(page, "web_server").getByTestId("node-agent")).toHaveText("agent connected · websocket", { timeout: 15_000 });
});

test("a reader sees the agent's state but not the command: it holds the server's credential", async ({ browser, request }) => {
  const { context: reader, page } = await signedInReader(browser, request, "rhea");
  try {
    await page.getByRole("link", { name: "website" }).click();
    await node(page, "web_server").click();
    const panel = page.getByTestId("resource-panel");
    await expect(panel.getByTestId("agent-state")).toHaveText(/^Agent (not )?connected$/);
    // The agent is connected (the first test left it running): the command's place is folded.
    await expectCommandRefused(panel);
    await page.screenshot({ path: "test-results/software-agent-reader-1366.png" });
  } finally {
    await reader.close();
  }
});
