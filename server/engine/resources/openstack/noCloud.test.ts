/** Without a cloud configured, an OpenStack resource fails saying so (the stack is otherwise unaffected). */
import { expect, it } from "vitest";
import { testEngine } from "../../testing/harness";

it("an OpenStack resource in a project without a cloud fails with a reason saying how to configure one", async () => {
  const t = testEngine();
  const stack = await t.engine.createStack({
    projectId: "p",
    name: "s",
    template: "heat_template_version: 2018-08-31\nresources:\n  net: { type: OS::Neutron::Net }\n  v: { type: OS::Heat::Value, properties: { value: 1 } }\n",
  });
  await t.settle();
  expect(await t.resources(stack.id)).toEqual({ net: "CREATE_FAILED", v: "CREATE_COMPLETE" });
  const [net] = await t.store.findResources(stack.id, "net");
  expect(net!.statusReason).toBe(
    "CloudNotConfigured: resources.net: No OpenStack cloud is configured for this project (give it credentials: the UI's Cloud page or kiln cloud set; or start the server with OS_CLOUD or OS_AUTH_URL and its OS_* variables)",
  );
});
