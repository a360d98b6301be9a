import { expect, type Locator } from "@playwright/test";

/**
 * The `kiln agent` command a server's panel gives, credential shown (it is masked until asked
 * for), taken apart as a person copying it would run it.
 */
export async function revealedAgentCommand(panel: Locator) {
  await panel.getByRole("button", { name: "Show credential" }).click();
  const text = ((await panel.getByTestId("agent-command").textContent()) ?? "").trim();
  const m = /^KILN_AGENT_CREDENTIAL='([A-Za-z0-9_-]{43})' \\\n {2}kiln agent --url (\S+) \\\n {2}--server ([0-9a-f-]{36})$/.exec(text);
  expect(m, text).not.toBeNull();
  return { credential: m![1]!, url: m![2]!, serverId: m![3]! };
}

/** A reader's panel of a server whose agent is connected: the command's place, unfolded, says why it shows none. */
export async function expectCommandRefused(panel: Locator) {
  await panel.getByText("Command to connect an agent").click();
  await expect(panel.getByTestId("agent-command-refused")).toContainText("only the project's members and admins see it");
  await expect(panel.getByTestId("agent-command")).toHaveCount(0);
}
