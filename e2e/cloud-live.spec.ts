/**
 * The live view of a stack acting in a real OpenStack (the minicloud, or the cloud OS_CLOUD /
 * OS_* name): each server's cloud state on its node as Nova reports it, pushed, and drift made
 * behind Kiln's back marked after a check and gone after an update. Skipped, loudly, only with
 * KILN_TEST_NO_CLOUD=1.
 */
import { expect, test, type Page } from "@playwright/test";
import { KeystoneSession } from "../server/clouds/keystoneSession";
import { cloudSkipped, memberCredentials, testCloud } from "../server/clouds/testing/testCloud";
import { mutate, query } from "./api";

test.skip(cloudSkipped, "KILN_TEST_NO_CLOUD=1");

const node = (page: Page, name: string) => page.locator(`[data-testid="graph-node"][data-resource="${name}"]`);
const run = Date.now().toString(36);

test("a server's cloud state shows on its node as it moves; drift made out-of-band is marked after a check and converged by an update", async ({ page, request }) => {
  test.setTimeout(240_000);
  const fx = await testCloud();
  const other = new KeystoneSession(memberCredentials());
  // The gate holds the servers back until the page is open, so it sees them from their first state.
  const template = `
heat_template_version: 2018-08-31
resources:
  gate: { type: OS::Heat::TestResource, properties: { value: open, action_wait_secs: { create: 20 } } }
  net: { type: OS::Neutron::Net, properties: { name: live-net-${run} } }
  web:
    type: OS::Nova::Server
    depends_on: gate
    properties: { name: live-web-${run}, image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }], metadata: { role: web } }
  db:
    type: OS::Nova::Server
    depends_on: gate
    properties: { name: live-db-${run}, image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
`;
  // Every cloud state a node shows, in order, so a state that lasts a moment is still seen.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __cloud: string[] }).__cloud = []);
    const note = (el: Element | null) => {
      const state = el?.closest("[data-testid=graph-node]");
      if (el?.matches("[data-testid=cloud-state]") && state) seen.push(`${(state as HTMLElement).dataset.resource}:${el.textContent}`);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "characterData") note(r.target.parentElement);
        for (const added of r.addedNodes) {
          if (added instanceof Element) {
            note(added);
            added.querySelectorAll("[data-testid=cloud-state]").forEach(note);
          } else note(added.parentElement);
        }
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const stack = await mutate<{ id: string }>(request, "stacks.create", { name: `cloud-live-${run}`, template });
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`/stacks/${stack.id}`);
    await expect(node(page, "gate")).toHaveAttribute("data-status", "CREATE_IN_PROGRESS", { timeout: 15_000 });
    await expect(node(page, "web").getByTestId("cloud-state")).toHaveText("BUILD", { timeout: 30_000 });
    await page.screenshot({ path: "test-results/cloud-live-building.png" });
    for (const name of ["web", "db"]) {
      await expect(node(page, name)).toHaveAttribute("data-status", "CREATE_COMPLETE", { timeout: 60_000 });
      await expect(node(page, name).getByTestId("cloud-state")).toHaveText("ACTIVE");
    }
    const seen = await page.evaluate(() => (window as unknown as { __cloud: string[] }).__cloud);
    expect(seen.filter((s) => s.startsWith("web:"))).toEqual(["web:BUILD", "web:ACTIVE"]);
    await page.getByTestId("graph-node").filter({ hasText: "web" }).first().click();
    await expect(page.getByTestId("panel-cloud-state")).toHaveText("ACTIVE");

    // Behind Kiln's back: one server deleted, the other renamed, the network renamed.
    const rows = await query<{ name: string; physicalId: string }[]>(request, "resources.list", { stack: stack.id });
    const id = (name: string) => rows.find((r) => r.name === name)!.physicalId;
    await other.call("compute", "DELETE", `/servers/${id("db")}`);
    await other.call("compute", "PUT", `/servers/${id("web")}`, { body: { server: { name: `hijacked-${run}` } } });
    await other.call("network", "PUT", `/v2.0/networks/${id("net")}`, { body: { network: { name: `renamed-${run}` } } });
    await expect.poll(async () => (await other.call("compute", "GET", `/servers/${id("db")}`, { expect: [404] })).status, { timeout: 60_000 }).toBe(404);

    await mutate(request, "stacks.check", { stack: stack.id });
    await expect(node(page, "db").getByTestId("node-drift")).toHaveText("Drifted: gone from the cloud", { timeout: 30_000 });
    await expect(node(page, "db").getByTestId("cloud-state")).toHaveText("gone");
    await expect(node(page, "web").getByTestId("node-drift")).toHaveText(`Drifted: name is 'hijacked-${run}' in the cloud, Kiln applied 'live-web-${run}'`);
    await expect(node(page, "net").getByTestId("node-drift")).toHaveText(`Drifted: name is 'renamed-${run}' in the cloud, Kiln applied 'live-net-${run}'`);
    await expect(node(page, "gate").getByTestId("node-drift")).toHaveCount(0);
    await expect(page.getByTestId("resource-drift")).toContainText(`name is 'hijacked-${run}' in the cloud`);
    await page.screenshot({ path: "test-results/cloud-live-drift.png" });

    // The same template again converges it all back: the marks go.
    await mutate(request, "stacks.update", { stack: stack.id, template });
    for (const name of ["db", "web", "net"]) await expect(node(page, name).getByTestId("node-drift")).toHaveCount(0, { timeout: 90_000 });
    await expect(page.getByTestId("status-badge").first()).toHaveText("UPDATE_COMPLETE", { timeout: 60_000 });
    await expect(page.getByTestId("resource-drift")).toHaveCount(0);
    const web = (await other.call("compute", "GET", `/servers/${id("web")}`)).body as { server: { name: string } };
    expect(web.server.name).toBe(`live-web-${run}`);
  } finally {
    // Waited for: the server under test stops with the test, and the cloud must keep nothing of it.
    await mutate(request, "stacks.delete", { stack: stack.id }).catch(() => undefined);
    await expect
      .poll(() => query(request, "stacks.show", { stack: stack.id }).then(() => "there", (e: Error) => e.message), { timeout: 120_000 })
      .toMatch(/not found/i);
  }
});
