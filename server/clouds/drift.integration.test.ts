/**
 * What Kiln shows of the cloud against a real OpenStack: each cloud state a server goes
 * through while Kiln waits (as "progress" notifications), and drift — objects deleted or
 * changed behind Kiln's back, found by a check, marked on the resources, and converged back by
 * an update of the same template.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listNotifications } from "../notify/notificationHistory";
import { listResources } from "../services/stacks";
import type { Runtime } from "../services/runtime";
import { MASK } from "../engine/template/hiddenValues";
import { KeystoneSession } from "./keystoneSession";
import { cloudRuntime, type CloudRuntime } from "./testing/cloudRuntime";
import { cloudSkipped, memberCredentials, oneServerTemplate, testCloud, type CloudFixtures } from "./testing/testCloud";

type Obj = Record<string, unknown>;

describe.skipIf(cloudSkipped)("the cloud as Kiln shows it: live state and drift", () => {
  let rt: Runtime;
  let kiln: CloudRuntime;
  let fx: CloudFixtures;
  /** Someone else acting in the same project, behind Kiln's back. */
  let other: KeystoneSession;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    fx = await testCloud();
    other = new KeystoneSession(memberCredentials());
    kiln = await cloudRuntime();
    rt = kiln.rt;
  }, 120_000);
  afterAll(() => kiln?.close());

  const settled = (id: string, action: string) => kiln.settled(id, action);
  const resources = async (stackId: string) => new Map((await listResources(rt, (await rt.store.getStack(stackId))!)).map((r) => [r.name, r]));
  const get = async (service: string, path: string) => (await other.call(service, "GET", path, { expect: [404] })).body as Record<string, Obj>;

  it("tells each cloud state of a server as it moves; a check marks a server deleted, a server renamed with new metadata and a network renamed out-of-band; an update of the same template converges all three back", async () => {
    const template = `
heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net, properties: { name: drift-net-${run} } }
  doomed:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
  tampered:
    type: OS::Nova::Server
    properties: { name: tampered-${run}, image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }], metadata: { role: web } }
`;
    const stack = await rt.engine.createStack({ projectId: "p", name: `drift-${run}`, template });
    expect((await settled(stack.id, "CREATE")).status).toBe("COMPLETE");

    // Each server was seen building, then active: pushed as notifications, in that order.
    const progress = (await listNotifications(rt.db, { rootStackId: stack.id, afterId: 0, limit: 1000, kinds: ["progress"] })).filter((n) => n.resourceName === "doomed");
    expect(progress.map((n) => `${n.action} ${n.status}`)).toEqual(["CREATE BUILD", "CREATE ACTIVE"]);
    const before = await resources(stack.id);
    expect(before.get("doomed")).toMatchObject({ cloudState: "ACTIVE", drift: [] });
    expect(before.get("net")).toMatchObject({ cloudState: null, drift: [] });

    const doomed = before.get("doomed")!.physicalId!;
    const tampered = before.get("tampered")!.physicalId!;
    const net = before.get("net")!.physicalId!;
    await other.call("compute", "DELETE", `/servers/${doomed}`);
    await other.call("compute", "PUT", `/servers/${tampered}`, { body: { server: { name: `hijacked-${run}` } } });
    await other.call("compute", "PUT", `/servers/${tampered}/metadata/role`, { body: { meta: { role: "db" } } });
    await other.call("network", "PUT", `/v2.0/networks/${net}`, { body: { network: { name: `renamed-${run}` } } });
    await expect.poll(async () => (await other.call("compute", "GET", `/servers/${doomed}`, { expect: [404] })).status, { timeout: 60_000, interval: 500 }).toBe(404);

    await rt.engine.checkStack(stack.id);
    expect((await settled(stack.id, "CHECK")).status).toBe("FAILED");
    const checked = await resources(stack.id);
    expect(checked.get("doomed")).toMatchObject({ resourceStatus: "CHECK_FAILED", drift: ["gone from the cloud"], cloudState: "gone" });
    expect(checked.get("tampered")).toMatchObject({
      resourceStatus: "CHECK_COMPLETE",
      drift: [`name is 'hijacked-${run}' in the cloud, Kiln applied 'tampered-${run}'`, "metadata differs in the cloud (role)"],
    });
    expect(checked.get("net")).toMatchObject({ resourceStatus: "CHECK_COMPLETE", drift: [`name is 'renamed-${run}' in the cloud, Kiln applied 'drift-net-${run}'`] });

    // The same template again: the gone server is made anew, the changed ones set back.
    await rt.engine.updateStack(stack.id, { template });
    expect((await settled(stack.id, "UPDATE")).status).toBe("COMPLETE");
    const after = await resources(stack.id);
    for (const name of ["doomed", "tampered", "net"]) expect(after.get(name)!.drift, name).toEqual([]);
    const remade = after.get("doomed")!.physicalId!;
    expect(after.get("doomed")!.cloudState).toBe("ACTIVE");
    expect(remade).not.toBe(doomed);
    expect((await get("compute", `/servers/${remade}`)).server).toMatchObject({ status: "ACTIVE" });
    expect(after.get("tampered")!.physicalId).toBe(tampered);
    expect((await get("compute", `/servers/${tampered}`)).server).toMatchObject({ name: `tampered-${run}`, metadata: { role: "web" } });
    expect((await get("network", `/v2.0/networks/${net}`)).network).toMatchObject({ name: `drift-net-${run}` });

    await rt.engine.deleteStack(stack.id);
    await kiln.settledGone(stack.id);
  }, 300_000);

  it("masks a value applied from a hidden parameter in what a drift line says", async () => {
    const template = `
heat_template_version: 2018-08-31
parameters:
  secret_name: { type: string, hidden: true }
resources:
  net: { type: OS::Neutron::Net, properties: { name: { get_param: secret_name } } }
`;
    const stack = await rt.engine.createStack({ projectId: "p", name: `hidden-${run}`, template, parameters: { secret_name: `s3cret-net-${run}` } });
    expect((await settled(stack.id, "CREATE")).status).toBe("COMPLETE");
    const net = (await resources(stack.id)).get("net")!.physicalId!;
    await other.call("network", "PUT", `/v2.0/networks/${net}`, { body: { network: { name: `seen-${run}` } } });
    await rt.engine.checkStack(stack.id);
    expect((await settled(stack.id, "CHECK")).status).toBe("COMPLETE");
    expect((await resources(stack.id)).get("net")!.drift).toEqual([`name is 'seen-${run}' in the cloud, Kiln applied '${MASK}'`]);
    await rt.engine.updateStack(stack.id, { template, parameters: { secret_name: `s3cret-net-${run}` } });
    expect((await settled(stack.id, "UPDATE")).status).toBe("COMPLETE");
    expect((await get("network", `/v2.0/networks/${net}`)).network).toMatchObject({ name: `s3cret-net-${run}` });
    await rt.engine.deleteStack(stack.id);
    await kiln.settledGone(stack.id);
  }, 120_000);

  it("marks a server gone when the watcher sees it vanish while Kiln waits for it to build", async () => {
    const template = oneServerTemplate(fx);
    const stack = await rt.engine.createStack({ projectId: "p", name: `vanish-${run}`, template });
    await expect.poll(async () => (await resources(stack.id)).get("server")?.cloudState, { timeout: 60_000, interval: 100 }).toBe("BUILD");
    const id = (await resources(stack.id)).get("server")!.physicalId!;
    await other.call("compute", "DELETE", `/servers/${id}`);
    expect((await settled(stack.id, "CREATE")).status).toBe("FAILED");
    expect((await resources(stack.id)).get("server")).toMatchObject({
      resourceStatus: "CREATE_FAILED",
      statusReason: `NotFound: resources.server: The server (${id}) could not be found.`,
      cloudState: "gone",
      drift: ["gone from the cloud"],
    });
    await rt.engine.deleteStack(stack.id);
    await kiln.settledGone(stack.id);
  }, 300_000);
});
