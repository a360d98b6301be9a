/**
 * What a Nova server's `show` attribute gives away when Kiln acts with admin credentials: Nova
 * then answers its user_data (base64, so no masking of a hidden value or a credential can find
 * it in the text), which may carry a hidden parameter's value and, on a SOFTWARE_CONFIG server,
 * the agent's credential. Neither may reach anyone through the attribute.
 */
import { describe, expect, it } from "vitest";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";
import { cloudEnv, cloudSkipped, testCloud } from "./testing/testCloud";

type Obj = Record<string, unknown>;

describe.skipIf(cloudSkipped)("a Nova server's show attribute, Kiln acting as a cloud admin", () => {
  const server = serverForSuite("server-show", { ...cloudEnv(), OS_CLOUD: process.env.KILN_TEST_OS_ADMIN_CLOUD ?? "minicloud-admin" });

  it("carries no user_data: a hidden parameter given to user_data, and the agent's credential, stay unseen", { timeout: 240_000 }, async () => {
    const fx = await testCloud();
    const secret = `hidden-${Date.now().toString(36)}-value`;
    const vm = (extra: string) => `{ image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }]${extra} }`;
    const template = `
heat_template_version: 2018-08-31
parameters:
  secret: { type: string, hidden: true }
resources:
  raw_vm:
    type: OS::Nova::Server
    properties: ${vm(`, user_data: { str_replace: { template: "#!/bin/sh\\necho SECRET", params: { SECRET: { get_param: secret } } } }`)}
  sc_vm:
    type: OS::Nova::Server
    properties: ${vm(", user_data_format: SOFTWARE_CONFIG, software_config_transport: POLL_TEMP_URL")}
outputs:
  raw: { value: { get_attr: [raw_vm, show] } }
  sc: { value: { get_attr: [sc_vm, show] } }
`;
    const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "server-show", template, parameters: { secret } }, "mutation");
    try {
      const show = () => trpc<{ stackStatus: string; statusReason: string; outputs: { key: string; value: unknown }[] }>(server(), "stacks.show", { stack: stack.id });
      await expect.poll(async () => (await show()).stackStatus, { timeout: 180_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
      const shown = await show();
      expect(shown.stackStatus, shown.statusReason).toBe("CREATE_COMPLETE");
      for (const name of ["raw_vm", "sc_vm"]) {
        const resource = await trpc<{ attributes: { show: Obj } }>(server(), "resources.show", { stack: stack.id, resource: name });
        const attribute = resource.attributes.show;
        expect(attribute.id, `${name}'s show is Nova's server`).toBeTruthy();
        expect(Object.keys(attribute)).not.toContain("OS-EXT-SRV-ATTR:user_data");
        expect(decodedEverywhere(attribute)).not.toContain(secret);
        expect(decodedEverywhere(attribute)).not.toMatch(/\/metadata\/|credential/i);
      }
      const outputs = JSON.stringify(shown.outputs);
      expect(decodedEverywhere(shown.outputs)).not.toContain(secret);
      expect(outputs).not.toContain("OS-EXT-SRV-ATTR:user_data");
    } finally {
      await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
      await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 120_000 }).toBe(false);
    }
  });
});

/** The text of a value with every string in it also read as base64, as anyone reading it could. */
function decodedEverywhere(value: unknown): string {
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") strings.push(v, Buffer.from(v, "base64").toString("utf8"));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return strings.join("\n");
}
