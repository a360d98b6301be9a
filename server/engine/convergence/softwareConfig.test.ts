import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";

const P = "project";

async function created(template: string) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "s", template });
  await t.settle();
  expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
  const row = async (name: string) => (await t.store.findResources(stack.id, name))[0]!;
  return { t, stack, outputs, row };
}

describe("software configs", () => {
  it("stores the config with Heat's shape of inputs and outputs; its id is the physical id", async () => {
    const { t, outputs, row } = await created(`
heat_template_version: 2018-08-31
resources:
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: "echo hi"
      options: { debug: true }
      inputs: [{ name: a }, { name: b, type: Number, default: 2, replace_on_change: true, description: the b }]
      outputs: [{ name: out }, { name: err, error_output: true }]
outputs:
  config: { value: { get_attr: [config, config] } }
  id: { value: { get_resource: config } }
`);
    const config = await row("config");
    expect(outputs.config!.value).toBe("echo hi");
    expect(outputs.id!.value).toBe(config.physicalId);
    expect(await t.store.getConfig(config.physicalId!)).toMatchObject({
      name: `s-config-${config.id.replace(/-/g, "").slice(0, 12)}`,
      group: "script",
      projectId: P,
      config: {
        config: "echo hi",
        options: { debug: true },
        inputs: [
          { name: "a", type: "String" },
          { name: "b", type: "Number", default: 2, replace_on_change: true, description: "the b" },
        ],
        outputs: [
          { name: "out", type: "String", error_output: false },
          { name: "err", type: "String", error_output: true },
        ],
      },
    });
  });

  it("CloudConfig stores its map as a #cloud-config YAML document", async () => {
    const { outputs } = await created(`
heat_template_version: 2018-08-31
resources:
  boot:
    type: OS::Heat::CloudConfig
    properties:
      cloud_config: { runcmd: [[echo, a b]], packages: [git], count: 3 }
outputs:
  config: { value: { get_attr: [boot, config] } }
`);
    expect(outputs.config!.value).toBe("#cloud-config\ncount: 3\npackages:\n- git\nruncmd:\n- - echo\n  - a b\n");
  });

  it("MultipartMime joins inline parts and stored configs, by id, into one MIME message", async () => {
    const { outputs } = await created(`
heat_template_version: 2018-08-31
resources:
  boot:
    type: OS::Heat::CloudConfig
    properties: { cloud_config: { packages: [git] } }
  parts:
    type: OS::Heat::MultipartMime
    properties:
      parts:
        - { config: { get_resource: boot }, subtype: cloud-config }
        - { config: "#!/bin/sh\\necho x", filename: boot.sh }
        - { config: "héllo" }
outputs:
  config: { value: { get_attr: [parts, config] } }
`);
    const message = String(outputs.config!.value);
    const boundary = /boundary="([^"]+)"/.exec(message)![1]!;
    expect(message).toBe(
      [
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        "MIME-Version: 1.0",
        "",
        `--${boundary}`,
        'Content-Type: text/cloud-config; charset="us-ascii"',
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: 7bit",
        "",
        "#cloud-config\npackages:\n- git\n",
        `--${boundary}`,
        'Content-Type: text/boot; charset="us-ascii"',
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: 7bit",
        'Content-Disposition: attachment; filename="boot.sh"',
        "",
        "#!/bin/sh\necho x",
        `--${boundary}`,
        'Content-Type: text/plain; charset="utf-8"',
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: base64",
        "",
        "aMOpbGxv\n",
        `--${boundary}--`,
        "",
      ].join("\n"),
    );
  });

  it("a multipart part is split into its parts, which are appended", async () => {
    const { outputs } = await created(`
heat_template_version: 2018-08-31
resources:
  inner:
    type: OS::Heat::MultipartMime
    properties:
      parts: [{ config: "one", subtype: x-one }, { config: "two", filename: two.txt }]
  outer:
    type: OS::Heat::MultipartMime
    properties:
      parts: [{ config: { get_resource: inner }, type: multipart }, { config: "three" }]
outputs:
  config: { value: { get_attr: [outer, config] } }
`);
    const message = String(outputs.config!.value);
    expect(message.match(/Content-Type: text\/[\w-]+/g)).toEqual(["Content-Type: text/x-one", "Content-Type: text/two", "Content-Type: text/plain"]);
    expect(message).toContain('filename="two.txt"');
  });

  it("deleting the stack deletes the stored configs", async () => {
    const { t, stack } = await created(`
heat_template_version: 2018-08-31
resources:
  a: { type: OS::Heat::SoftwareConfig, properties: { config: x } }
  b: { type: OS::Heat::StructuredConfig, properties: { config: { k: v } } }
`);
    expect(t.store.softwareConfigs.size).toBe(2);
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(t.store.softwareConfigs.size).toBe(0);
  });
});
