import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";
import { shownType } from "./resourceRows";
import { TemplateInvalid } from "../errors";

const P = "project";

const webTier = `
heat_template_version: 2018-08-31
description: A password, a value built from it, and a group of workers
parameters:
  workers:
    type: number
    default: 2
resources:
  password:
    type: OS::Heat::RandomString
    properties:
      length: 12
  config:
    type: OS::Heat::Value
    properties:
      value:
        str_replace:
          template: "user=admin pass=PASS"
          params:
            PASS: { get_resource: password }
  workers:
    type: OS::Heat::ResourceGroup
    properties:
      count: { get_param: workers }
      resource_def:
        type: OS::Heat::TestResource
        properties:
          value: worker-%index%
outputs:
  config:
    value: { get_attr: [config, value] }
  workers:
    value: { get_attr: [workers, output] }
  stack_name:
    value: { get_param: "OS::stack_name" }
`;

describe("real HOT templates", () => {
  it("deploys a template with functions, a group and outputs", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "web", template: webTier, parameters: { workers: 3 } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    const password = (await t.store.findResources(stack.id, "password"))[0]!.attributes.value as string;
    expect(outputs.config!.value).toBe(`user=admin pass=${password}`);
    expect(outputs.workers!.value).toEqual(["worker-0", "worker-1", "worker-2"]);
    expect(outputs.stack_name!.value).toBe("web");
  });

  it("an update changing a parameter scales the group in place", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "web", template: webTier });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: webTier, parameters: { workers: 1 } });
    await t.settle();
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.workers!.value).toEqual(["worker-0"]);
    expect((await t.resources(stack.id)).workers).toBe("UPDATE_COMPLETE");
  });

  it("an update with existing parameters keeps values not given again, hidden ones too, unless cleared", async () => {
    const secret = `
heat_template_version: 2018-08-31
parameters:
  token: { type: string, hidden: true }
  size: { type: string, default: "1" }
  label: { type: string, default: plain }
resources:
  v:
    type: OS::Heat::Value
    properties:
      value: { list_join: ["/", [{ get_param: token }, { get_param: size }, { get_param: label }]] }
outputs:
  v: { value: { get_attr: [v, value] } }
`;
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "sec", template: secret, parameters: { token: "s3cret", size: "2", label: "fancy" } });
    await t.settle();
    const value = async () => (await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).v!.value;
    expect(await value()).toBe("s3cret/2/fancy");

    const preview = await t.engine.previewUpdate(stack.id, { template: secret, parameters: { size: "3" }, existing: true });
    expect(preview.updated.map((r) => r.resource_name)).toEqual(["v"]);
    await t.engine.updateStack(stack.id, { template: secret, parameters: { size: "3" }, existing: true, clearParameters: ["label"] });
    await t.settle();
    expect(await value()).toBe("s3cret/3/plain");

    // Without it, a required parameter not given again is an error, and nothing changes.
    await expect(t.engine.updateStack(stack.id, { template: secret, parameters: { size: "4" } })).rejects.toThrow(/token/);
    expect(await value()).toBe("s3cret/3/plain");

    // A parameter the new template no longer declares is not carried over.
    const smaller = secret.replace("  label: { type: string, default: plain }\n", "").replace(", { get_param: label }", "");
    await t.engine.updateStack(stack.id, { template: smaller, existing: true });
    await t.settle();
    expect(await value()).toBe("s3cret/3");
    expect((await t.stack(stack.id))!.parameters).toEqual({ token: "s3cret", size: "3" });
  });

  it("clearing a parameter an environment file set takes that value back too, leaving parameter_defaults to apply (as Heat's clear_parameters)", async () => {
    const template = `
heat_template_version: 2018-08-31
parameters:
  a: { type: string, default: defA }
  b: { type: string, default: defB }
outputs:
  both: { value: { list_join: ["/", [{ get_param: a }, { get_param: b }]] } }
`;
    const t = testEngine();
    const environment = ["parameters:\n  a: fromfileA\n  b: fromfileB\nparameter_defaults:\n  b: defaultB\n"];
    const stack = await t.engine.createStack({ projectId: P, name: "clear", template, environment });
    await t.settle();
    const both = async () => (await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).both!.value;
    expect(await both()).toBe("fromfileA/fromfileB");
    await t.engine.updateStack(stack.id, { template, existing: true, clearParameters: ["a", "b"] });
    await t.settle();
    expect(await both()).toBe("defA/defaultB");
  });

  it("an update with existing keeps the environment and files the stack was created with", async () => {
    const box = `
heat_template_version: 2016-10-14
parameters:
  label: { type: string, default: none }
resources:
  inner: { type: OS::Heat::TestResource, properties: { value: { get_param: label } } }
outputs:
  label: { value: { get_attr: [inner, output] } }
`;
    const template = (label: string) => `
heat_template_version: 2016-10-14
resources:
  box: { type: My::Box, properties: { label: ${label} } }
outputs:
  out: { value: { get_attr: [box, label] } }
`;
    const t = testEngine();
    const environment = ["resource_registry:\n  My::Box: box.yaml\n"];
    const stack = await t.engine.createStack({ projectId: P, name: "env", template: template("one"), environment, files: { "box.yaml": box } });
    await t.settle();
    // Without them, the type is unknown again, and nothing changes.
    await expect(t.engine.updateStack(stack.id, { template: template("two") })).rejects.toThrow(/My::Box/);
    await t.engine.updateStack(stack.id, { template: template("two"), existing: true });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).out!.value).toBe("two");
  });

  it("a provider template from the files map becomes a nested stack", async () => {
    const t = testEngine();
    const server = `
heat_template_version: 2016-10-14
parameters:
  label: { type: string }
resources:
  inner: { type: OS::Heat::TestResource, properties: { value: { get_param: label } } }
outputs:
  label_out: { value: { get_attr: [inner, output] } }
`;
    const template = `
heat_template_version: 2016-10-14
resources:
  box:
    type: box.yaml
    properties: { label: hello }
outputs:
  out: { value: { get_attr: [box, label_out] } }
`;
    const stack = await t.engine.createStack({ projectId: P, name: "p", template, files: { "box.yaml": server } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).out!.value).toBe("hello");
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(t.store.stacks.size).toBe(0);
  });

  it("an invalid template is refused with every problem and its position, and nothing is stored", async () => {
    const t = testEngine();
    const bad = `heat_template_version: 2018-08-31
resources:
  a:
    type: OS::Heat::RandomString
    properties:
      length: lots
  b:
    type: OS::Nova::Servr
`;
    const err = await t.engine.createStack({ projectId: P, name: "bad", template: bad }).catch((e) => e);
    expect(err).toBeInstanceOf(TemplateInvalid);
    const problems = (err as TemplateInvalid).problems;
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["resources.a.properties.length", "resources.b.type"]));
    expect(problems.find((p) => p.path === "resources.a.properties.length")).toMatchObject({ line: 6 });
    expect(t.store.stacks.size).toBe(0);
    expect(t.store.templates.size).toBe(0);
  });
});

describe("resource groups of provider templates", () => {
  const member = `
heat_template_version: 2016-10-14
parameters:
  index: { type: string }
resources:
  box: { type: OS::Heat::TestResource, properties: { value: { get_param: index } } }
outputs:
  label: { value: { get_attr: [box, output] } }
`;
  const template = `
heat_template_version: 2016-10-14
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: { type: lib/member.yaml, properties: { index: "m%index%" } }
outputs:
  labels: { value: { get_attr: [group, label] } }
`;

  it("members of a template type get the files they need", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template, files: { "lib/member.yaml": member } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).labels!.value).toEqual(["m0", "m1"]);
  });

  it("a group of a type mapped in the environment's registry builds its members from that template", async () => {
    const t = testEngine();
    const mapped = template.replace("type: lib/member.yaml", "type: My::Member");
    const environment = ["resource_registry:\n  My::Member: lib/member.yaml\n"];
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: mapped, environment, files: { "lib/member.yaml": member } });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).labels!.value).toEqual(["m0", "m1"]);
    // Unmapped, the same type is refused at validation, naming the property.
    const err = await t.engine.createStack({ projectId: P, name: "h", template: mapped, files: { "lib/member.yaml": member } }).catch((e) => e);
    expect((err as TemplateInvalid).problems[0]).toMatchObject({ path: "resources.group.properties.resource_def.type", message: expect.stringContaining("My::Member") });
  });

  it("a member template missing from the files is a validation error, before anything is created", async () => {
    const t = testEngine();
    const err = await t.engine.createStack({ projectId: P, name: "g", template }).catch((e) => e);
    expect(err).toBeInstanceOf(TemplateInvalid);
    expect((err as TemplateInvalid).problems[0]).toMatchObject({ path: "resources.group.properties.resource_def.type", message: expect.stringContaining("lib/member.yaml") });
  });
});

describe("OS::Heat::None stands in for any type", () => {
  const template = `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Nova::Server
    properties: { image: cirros, flavor: m1.tiny, networks: [{ network: private }] }
  note:
    type: OS::Heat::Value
    properties: { value: { get_attr: [server, first_address] } }
outputs:
  address: { value: { get_attr: [server, first_address] } }
  id: { value: { get_resource: server } }
`;

  it("a type mapped to it in resource_registry is created with its properties, and each of its attributes is null", async () => {
    // Heat 19 answers: CREATE_COMPLETE, get_attr of any name on OS::Heat::None is null.
    const t = testEngine();
    const environment = ['resource_registry:\n  "OS::Nova::Server": "OS::Heat::None"\n'];
    const stack = await t.engine.createStack({ projectId: P, name: "off", template, environment });
    await t.settle();
    expect(await t.resources(stack.id)).toEqual({ server: "CREATE_COMPLETE", note: "CREATE_COMPLETE" });
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.address!.value).toBeNull();
    expect(outputs.id!.value).toBe((await t.store.findResources(stack.id, "server"))[0]!.physicalId);
    // It runs as OS::Heat::None but is shown, in its events and its row, as the type its template names.
    expect(new Set(t.notifier.all.filter((n) => n.resourceName === "server").map((n) => n.resourceType))).toEqual(new Set(["OS::Nova::Server"]));
    const [row] = await t.store.findResources(stack.id, "server");
    expect([row!.type, shownType(row!)]).toEqual(["OS::Heat::None", "OS::Nova::Server"]);
    // Named directly in the next template, the same resource shows the type it runs as.
    await t.engine.updateStack(stack.id, { template: template.replace("type: OS::Nova::Server", "type: OS::Heat::None"), environment: [] });
    await t.settle();
    expect(shownType((await t.store.findResources(stack.id, "server"))[0]!)).toBe("OS::Heat::None");
  });
});

describe("nested stacks inherit their parent's environment, as Heat's child environment", () => {
  const files = {
    "prov.yaml": `
heat_template_version: 2018-08-31
parameters:
  size: { type: number, default: 1 }
  nodefault: { type: string }
resources:
  inner: { type: My::Inner }
outputs:
  size: { value: { get_param: size } }
  nodefault: { value: { get_param: nodefault } }
  label: { value: { get_attr: [inner, label] } }
`,
    "inner.yaml": "heat_template_version: 2018-08-31\nparameters:\n  label: { type: string, default: none }\noutputs:\n  label: { value: { get_param: label } }\n",
    // Overrides a built-in type with a template that uses the built-in type itself.
    "over.yaml": "heat_template_version: 2018-08-31\nresources:\n  real: { type: OS::Heat::RandomString, properties: { length: 3 } }\noutputs:\n  value: { value: { get_attr: [real, value] } }\n",
  };
  const template = `
heat_template_version: 2018-08-31
resources:
  direct: { type: My::Prov }
  explicit: { type: My::Prov, properties: { size: 7 } }
  group:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: My::Prov } }
  over: { type: OS::Heat::RandomString }
  overGroup:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: OS::Heat::RandomString } }
  overChain:
    type: OS::Heat::ResourceChain
    properties: { resources: [OS::Heat::RandomString, My::Prov] }
  inline:
    type: OS::Heat::Stack
    properties:
      template: |
        heat_template_version: 2018-08-31
        parameters:
          label: { type: string, default: none }
        resources:
          x: { type: My::Inner }
        outputs:
          label: { value: { get_param: label } }
          inner: { value: { get_attr: [x, label] } }
outputs:
  direct: { value: [{ get_attr: [direct, size] }, { get_attr: [direct, nodefault] }, { get_attr: [direct, label] }] }
  explicit: { value: { get_attr: [explicit, size] } }
  group: { value: { get_attr: [group, label] } }
  over: { value: { get_attr: [over, value] } }
  overGroup: { value: { get_attr: [overGroup, value] } }
  overChain: { value: { get_attr: [overChain, resource.1.label] } }
  inline: { value: { get_attr: [inline, outputs] } }
`;
  const environment = [
    "resource_registry:\n  My::Prov: prov.yaml\n  My::Inner: inner.yaml\n  OS::Heat::RandomString: over.yaml\n",
    "parameter_defaults:\n  size: 4\n  nodefault: xyz\n  label: from-the-top\n  unused: ignored\n",
  ];

  it("its resource_registry and parameter_defaults, all the way down; a template overriding a type gets the type itself inside (checked against Heat 19)", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "inherits", template, environment, files });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    // A type mapped at the top resolves in a provider template's own resources, and a
    // parameter without a default takes the top's parameter_defaults.
    expect(outputs.direct!.value).toEqual([4, "xyz", "from-the-top"]);
    // A property the resource sets is the nested stack's parameter: it wins over a default.
    expect(outputs.explicit!.value).toBe(7);
    expect(outputs.group!.value).toEqual(["from-the-top", "from-the-top"]);
    // The mapping that chose over.yaml is left out of its nested stack: the real type runs there.
    expect(outputs.over!.value).toMatch(/^[A-Za-z0-9]{3}$/);
    expect(outputs.overGroup!.value).toEqual([expect.stringMatching(/^[A-Za-z0-9]{3}$/), expect.stringMatching(/^[A-Za-z0-9]{3}$/)]);
    expect(outputs.overChain!.value).toBe("from-the-top");
    expect(outputs.inline!.value).toEqual({ label: "from-the-top", inner: "from-the-top" });
  });

  it("defaults merged from files that were each within the size limit reach the nested stacks, however large together", async () => {
    const t = testEngine();
    const half = (from: number) => "parameter_defaults:\n" + Array.from({ length: 8000 }, (_, i) => `  p${from + i}: ${"v".repeat(30)}\n`).join("");
    const big = [half(0), half(8000) + "  label: deep\n"];
    expect(big.join("").length).toBeGreaterThan(512 * 1024);
    const stack = await t.engine.createStack({ projectId: P, name: "big", template: "heat_template_version: 2018-08-31\nresources:\n  p: { type: inner.yaml }\noutputs:\n  label: { value: { get_attr: [p, label] } }\n", environment: big, files });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).label!.value).toBe("deep");
  });
});

describe("restricted_actions: what the environment forbids an update to do to a resource", () => {
  const before = `
heat_template_version: 2018-08-31
resources:
  key: { type: OS::Heat::RandomString, properties: { length: 4 } }
  db: { type: OS::Heat::TestResource, properties: { value: a } }
  web: { type: web.yaml }
outputs:
  key: { value: { get_attr: [key, value] } }
`;
  const files = { "web.yaml": "heat_template_version: 2018-08-31\nparameters:\n  n: { type: number, default: 4 }\nresources:\n  disk: { type: OS::Heat::RandomString, properties: { length: { get_param: n } } }\n" };
  const environment = [
    "resource_registry:\n  resources:\n    key: { restricted_actions: replace }\n    d*: { restricted_actions: [update] }\n    web: { disk: { restricted_actions: replace } }\n",
  ];

  it("a replacement or an update in place it forbids fails the update and leaves the resource as it was, as Heat 19 does; what it allows goes on", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "r", template: before, environment, files });
    await t.settle();
    const key = (await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).key!.value as string;

    // A new length replaces a RandomString: forbidden.
    await t.engine.updateStack(stack.id, { template: before.replace("length: 4", "length: 5"), existing: true });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "FAILED", statusReason: "Resource UPDATE failed: ResourceActionRestricted: resources.key: replace is restricted for resource." });
    expect((await t.resources(stack.id)).key).toBe("CREATE_COMPLETE");
    expect(t.notifier.events((n) => n.reason === "replace is restricted for resource.")).toEqual(["key UPDATE_FAILED"]);
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).key!.value).toBe(key);

    // A new value updates a TestResource in place: forbidden by the glob.
    await t.engine.updateStack(stack.id, { template: before.replace("value: a", "value: b"), existing: true });
    await t.settle();
    expect((await t.stack(stack.id))!.statusReason).toBe("Resource UPDATE failed: ResourceActionRestricted: resources.db: update is restricted for resource.");

    // New metadata alone is an update too (Heat 19 updates a resource for it).
    await t.engine.updateStack(stack.id, { template: before.replace("value: a } }", "value: a }, metadata: { m: 1 } }"), existing: true });
    await t.settle();
    expect((await t.stack(stack.id))!.statusReason).toBe("Resource UPDATE failed: ResourceActionRestricted: resources.db: update is restricted for resource.");

    // Inside a nested stack, as its parent resource's entry says.
    await t.engine.updateStack(stack.id, { template: before.replace("type: web.yaml }", "type: web.yaml, properties: { n: 6 } }"), existing: true });
    await t.settle();
    expect((await t.stack(stack.id))!).toMatchObject({ status: "FAILED", statusReason: expect.stringContaining("ResourceActionRestricted") });

    // Nothing forbidden is asked: the update goes through.
    await t.engine.updateStack(stack.id, { template: before.replace("  web: { type: web.yaml }\n", "  web: { type: web.yaml }\n  more: { type: OS::Heat::None }\n"), existing: true });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).key!.value).toBe(key);
  });

  it("anything but update and replace is refused when the environment is loaded, naming where", async () => {
    const t = testEngine();
    const err = await t.engine
      .createStack({ projectId: P, name: "r", template: before, files, environment: ["resource_registry:\n  resources:\n    web: { disk: { restricted_actions: [delete] } }\n"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TemplateInvalid);
    expect((err as TemplateInvalid).problems[0]).toMatchObject({ path: "resource_registry.resources.web.disk.restricted_actions", message: expect.stringContaining(`"update" or "replace"`) });
  });
});

describe("a provider resource given another template", () => {
  const top = "heat_template_version: 2018-08-31\nresources:\n  web: { type: web.yaml }\noutputs:\n  disk: { value: { get_attr: [web, disk] } }\n";
  const web = "heat_template_version: 2018-08-31\nresources:\n  disk: { type: OS::Heat::RandomString, properties: { length: 4 } }\noutputs:\n  disk: { value: { get_attr: [disk, value] } }\n";
  const files = { "web.yaml": web, "web2.yaml": web.replace("outputs:", "  more: { type: OS::Heat::None }\noutputs:") };

  it("updates its nested stack to it in place, as Heat's TemplateResource does: the nested stack and what is unchanged in it stay", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "w", template: top, files });
    await t.settle();
    const [before] = await t.store.findResources(stack.id, "web");
    const disk = (await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).disk!.value;
    await t.engine.updateStack(stack.id, { template: top.replace("web.yaml", "web2.yaml"), files });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const rows = await t.store.findResources(stack.id, "web");
    expect(rows.map((r) => [r.physicalId, r.type, r.action])).toEqual([[before!.physicalId, "web2.yaml", "UPDATE"]]);
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).disk!.value).toBe(disk);
    expect(Object.keys(await t.resources(before!.physicalId!))).toEqual(["disk", "more"]);
  });

  it("is an update restricted_actions can forbid (Heat 19: UPDATE_FAILED), and then nothing changes", async () => {
    const t = testEngine();
    const environment = ["resource_registry:\n  resources:\n    web: { restricted_actions: update }\n"];
    const stack = await t.engine.createStack({ projectId: P, name: "w", template: top, environment, files });
    await t.settle();
    const before = await t.store.findResources(stack.id, "web");
    await t.engine.updateStack(stack.id, { template: top.replace("web.yaml", "web2.yaml"), environment, files });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "FAILED", statusReason: expect.stringContaining("update is restricted") });
    expect((await t.store.findResources(stack.id, "web")).map((r) => [r.physicalId, r.type])).toEqual(before.map((r) => [r.physicalId, r.type]));
  });
});

it("an update's preview names a mapped type as the template does, as the resource list does (not the file it maps to)", async () => {
  const t = testEngine();
  const template = "heat_template_version: 2018-08-31\nresources:\n  web: { type: My::Web }\n  old: { type: My::Web }\n";
  const files = { "web.yaml": "heat_template_version: 2018-08-31\nparameters:\n  n: { type: number, default: 1 }\n" };
  const environment = ["resource_registry:\n  My::Web: web.yaml\n"];
  const stack = await t.engine.createStack({ projectId: P, name: "p", template, files, environment });
  await t.settle();
  const preview = await t.engine.previewUpdate(stack.id, { template: template.replace("  old: { type: My::Web }\n", "  new: { type: My::Web }\n"), files, environment });
  expect(preview.added).toEqual([{ resource_name: "new", resource_type: "My::Web" }]);
  expect(preview.deleted).toEqual([{ resource_name: "old", resource_type: "My::Web" }]);
  expect([...preview.updated, ...preview.unchanged].map((e) => e.resource_type)).toEqual(["My::Web"]);
});
