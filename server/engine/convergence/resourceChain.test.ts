import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../limits";
import { testEngine } from "../testing/harness";
import { TemplateInvalid } from "../errors";
import { stackOutputs } from "./stackOutputs";

const P = "project";

const chainOf = (types: string[], options: { concurrent?: boolean; value?: string; extra?: string } = {}) => `
heat_template_version: 2018-08-31
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [${types.join(", ")}]
      concurrent: ${options.concurrent ?? false}
      resource_properties:
        value: ${options.value ?? "hello"}
        ${options.extra ?? ""}
outputs:
  refs: { value: { get_attr: [chain, refs] } }
  second_ref: { value: { get_attr: [chain, refs, 1] } }
  output: { value: { get_attr: [chain, output] } }
  by_member: { value: { get_attr: [chain, attributes, output] } }
  second_output: { value: { get_attr: [chain, resource.1, output] } }
`;

const three = ["OS::Heat::TestResource", "OS::Heat::TestResource", "OS::Heat::TestResource"];

async function deploy(template: string, files: Record<string, string> = {}) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "c", template, files });
  await t.settle();
  const members = async () => {
    const [nested] = await t.store.childStacks([(await t.store.findResources(stack.id, "chain"))[0]!.id]);
    const rows = nested ? await t.store.listResources(nested.id) : [];
    return Object.fromEntries(rows.filter((r) => !r.replacedBy).map((r) => [r.name, { type: r.type, id: r.physicalId, state: `${r.action}_${r.status}` }]));
  };
  const outputs = async () => Object.fromEntries(Object.entries(await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).map(([k, o]) => [k, o.value ?? o.error]));
  const update = async (next: string) => {
    await t.engine.updateStack(stack.id, { template: next, files });
    await t.settle();
  };
  const chainRow = async () => (await t.store.findResources(stack.id, "chain")).find((r) => !r.replacedBy)!;
  return { t, stack, members, outputs, update, chainRow };
}

describe("OS::Heat::ResourceChain", () => {
  it("creates one member per listed type, each after the one before, and exposes them like a group", async () => {
    const { t, stack, members, outputs } = await deploy(chainOf(three));
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const m = await members();
    expect(Object.keys(m).sort()).toEqual(["0", "1", "2"]);
    // Heat 19 answers: refs the members' ids in order, refs.1 the second, a member attribute as
    // a list, attributes.<name> a map by member index, resource.1 + path that member's attribute.
    expect(await outputs()).toEqual({
      refs: [m["0"]!.id, m["1"]!.id, m["2"]!.id],
      second_ref: m["1"]!.id,
      output: ["hello", "hello", "hello"],
      by_member: { "0": "hello", "1": "hello", "2": "hello" },
      second_output: "hello",
    });
    // Not concurrent: member 1 starts only once member 0 is complete (Heat 19's events too).
    const events = t.notifier.events((n) => ["0", "1", "2"].includes(n.resourceName ?? ""));
    expect(events).toEqual(["0 CREATE_IN_PROGRESS", "0 CREATE_COMPLETE", "1 CREATE_IN_PROGRESS", "1 CREATE_COMPLETE", "2 CREATE_IN_PROGRESS", "2 CREATE_COMPLETE"]);
  });

  it("concurrent members all start before any of them finishes", async () => {
    const { t, stack } = await deploy(chainOf(three, { concurrent: true, extra: "action_wait_secs: { create: 1 }" }));
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const events = t.notifier.events((n) => ["0", "1", "2"].includes(n.resourceName ?? ""));
    expect(events.slice(0, 3).sort()).toEqual(["0 CREATE_IN_PROGRESS", "1 CREATE_IN_PROGRESS", "2 CREATE_IN_PROGRESS"]);
  });

  it("members may be provider templates, given resource_properties as their parameters", async () => {
    const member = `
heat_template_version: 2018-08-31
parameters:
  value: { type: string }
resources:
  inner:
    type: OS::Heat::TestResource
    properties:
      value: { get_param: value }
outputs:
  output: { value: { get_attr: [inner, output] } }
  extra: { value: only-in-template }
`;
    const template = `
heat_template_version: 2018-08-31
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [member.yaml, OS::Heat::TestResource]
      resource_properties: { value: hi }
outputs:
  output: { value: { get_attr: [chain, output] } }
  extra: { value: { get_attr: [chain, resource.0, extra] } }
`;
    const { t, stack, outputs } = await deploy(template, { "member.yaml": member });
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    // Heat 19 answers output [hi, hi] and the template member's own output through resource.0.
    expect(await outputs()).toEqual({ output: ["hi", "hi"], extra: "only-in-template" });
  });

  it("a listed type may be an alias from the environment's resource_registry", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({
      projectId: P,
      name: "c",
      template: chainOf(["My::Thing", "OS::Heat::TestResource"]),
      environment: ["resource_registry:\n  My::Thing: OS::Heat::TestResource\n"],
    });
    await t.settle();
    // Heat 19 answers CREATE_COMPLETE with output [hello, hello].
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).output!.value).toEqual(["hello", "hello"]);
  });

  it("an empty chain is created with no members", async () => {
    const { t, stack, outputs } = await deploy(chainOf([]));
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect((await outputs()).refs).toEqual([]);
  });

  it("adding and removing types updates the chain in place: only the members at those positions are created or deleted", async () => {
    const { t, stack, members, update, chainRow } = await deploy(chainOf(three));
    const before = await members();
    const chainId = (await chainRow()).physicalId;
    // Heat 19: UPDATE_COMPLETE, member 3 created, 0-2 untouched; then trimmed to two, 2 and 3 deleted.
    await update(chainOf([...three, "OS::Heat::TestResource"]));
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const grown = await members();
    expect(Object.keys(grown).sort()).toEqual(["0", "1", "2", "3"]);
    for (const i of ["0", "1", "2"]) expect(grown[i]).toEqual(before[i]);
    await update(chainOf(three.slice(0, 2)));
    const trimmed = await members();
    expect(Object.keys(trimmed).sort()).toEqual(["0", "1"]);
    expect(trimmed["0"]).toEqual(before["0"]);
    expect((await chainRow()).physicalId).toBe(chainId);
    expect(await chainRow()).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
  });

  it("changing the type at one position replaces that member only", async () => {
    const { members, update, outputs } = await deploy(chainOf(three));
    const before = await members();
    await update(chainOf(["OS::Heat::TestResource", "OS::Heat::Value", "OS::Heat::TestResource"]));
    const after = await members();
    // Heat 19 (with OS::Heat::None there): member 1 gets a new id and type, 0 and 2 keep theirs;
    // it has no `output`, so the list has null there.
    expect(after["1"]!.type).toBe("OS::Heat::Value");
    expect(after["1"]!.id).not.toBe(before["1"]!.id);
    expect(after["0"]).toEqual(before["0"]);
    expect(after["2"]).toEqual(before["2"]);
    expect((await outputs()).output).toEqual(["hello", null, "hello"]);
  });

  it("changing resource_properties or concurrent replaces the whole chain", async () => {
    const { t, stack, update, chainRow, outputs } = await deploy(chainOf(three));
    const first = (await chainRow()).physicalId;
    // Heat 19: "The Resource chain requires replacement.", a new nested stack with the new values.
    await update(chainOf(three, { value: "bye" }));
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const second = (await chainRow()).physicalId;
    expect(second).not.toBe(first);
    expect((await outputs()).output).toEqual(["bye", "bye", "bye"]);
    await update(chainOf(three, { value: "bye", concurrent: true }));
    expect((await chainRow()).physicalId).not.toBe(second);
    expect(t.store.stacks.size).toBe(2); // the stack and the one nested stack left
  });

  it("deleting the stack deletes the members", async () => {
    const { t, stack } = await deploy(chainOf(three));
    await t.engine.deleteStack(stack.id);
    await t.settle();
    expect(t.store.stacks.size).toBe(0);
    expect(t.notifier.events()).toEqual(expect.arrayContaining(["0 DELETE_COMPLETE", "1 DELETE_COMPLETE", "2 DELETE_COMPLETE"]));
  });

  it("a failing member fails the chain, and members after it are never started", async () => {
    const { t, stack, members } = await deploy(chainOf(three, { extra: "fail: true" }));
    // Heat 19: CREATE_FAILED, naming member 0's failure.
    const s = (await t.stack(stack.id))!;
    expect(s.status).toBe("FAILED");
    expect(s.statusReason).toContain("Test Resource failed 0");
    expect(Object.values(await members()).map((m) => m.state)).toEqual(["CREATE_FAILED", "INIT_COMPLETE", "INIT_COMPLETE"]);
  });

  it("refs names a member that has no id by its index, as Heat's reference to such a resource is its name", async () => {
    const { t, stack, members, outputs } = await deploy(chainOf(["OS::Heat::None", "OS::Heat::TestResource", "OS::Heat::None"], { extra: "fail: true" }));
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
    // Heat 19 answers refs [<member 0's id>, "1", "2"]: member 1 failed before it had an id, 2 was never created.
    expect((await outputs()).refs).toEqual([(await members())["0"]!.id, "1", "2"]);
  });

  it("refs_map and removed_rsrc_list of a chain are its members' attributes, not a group's", async () => {
    const group = chainOf(["OS::Heat::ResourceGroup"]).replace(/resource_properties:[^]*?outputs:/, "resource_properties: { count: 1, resource_def: { type: OS::Heat::None } }\noutputs:");
    const template = group.replace(/outputs:[^]*$/, "outputs:\n  refs_map: { value: { get_attr: [chain, refs_map] } }\n  removed: { value: { get_attr: [chain, removed_rsrc_list] } }\n");
    const { t, stack, outputs } = await deploy(template);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const [nested] = await t.store.childStacks([(await t.store.findResources(stack.id, "chain"))[0]!.id]);
    const [memberGroup] = await t.store.childStacks([(await t.store.findResources(nested!.id, "0"))[0]!.id]);
    const inner = (await t.store.findResources(memberGroup!.id, "0"))[0]!.physicalId;
    // Heat 19 answers one value per member: the member group's refs_map, and its removed list.
    expect(await outputs()).toEqual({ refs_map: [{ "0": inner }], removed: [[]] });
  });

  describe("validation", () => {
    const problems = async (template: string) => {
      const err = await testEngine()
        .engine.createStack({ projectId: P, name: "bad", template })
        .catch((e) => e);
      expect(err).toBeInstanceOf(TemplateInvalid);
      return (err as TemplateInvalid).problems.map((p) => `${p.path}: ${p.message}`);
    };
    const chain = (properties: string) => `
heat_template_version: 2018-08-31
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties:
${properties}
`;

    it("an unknown type in the list is named by its position", async () => {
      // Heat 19 refuses it at create: "The Resource Type (OS::Nope) could not be found."
      const found = await problems(chain("      resources: [OS::Heat::None, OS::Nope]"));
      expect(found).toEqual([expect.stringMatching(/^resources\.chain\.properties\.resources\[1\]: .*OS::Nope/)]);
    });

    it("resource_properties a listed type does not accept are refused, naming the type", async () => {
      // Heat 19 at create: "resources.chain<nested_stack>.resources[1].properties: Unknown Property value".
      const found = await problems(chain("      resources: [OS::Heat::TestResource, OS::Heat::RandomString]\n      resource_properties: { value: x }"));
      expect(found).toEqual([expect.stringMatching(/^resources\.chain\.properties\.resource_properties\.value: .*OS::Heat::RandomString/)]);
    });

    it("a resource_properties value of the wrong type is refused", async () => {
      // Heat 19 fails the create: 'resources[0].properties.fail: "notbool" is not a valid boolean'.
      const found = await problems(chain("      resources: [OS::Heat::TestResource]\n      resource_properties: { fail: notbool }"));
      expect(found).toEqual([expect.stringContaining("resources.chain.properties.resource_properties.fail: ")]);
    });

    it("resources must be a list and concurrent a boolean", async () => {
      // Heat 19: '"notalist" is not a list', '"maybe" is not a valid boolean'.
      expect(await problems(chain("      resources: notalist"))).toEqual([expect.stringContaining("resources.chain.properties.resources: ")]);
      expect(await problems(chain("      resources: [OS::Heat::None]\n      concurrent: maybe"))).toEqual([expect.stringContaining("resources.chain.properties.concurrent: ")]);
    });

    it("an entry that is not a type name is refused, naming its position", async () => {
      // Heat 19 at create: 'Resource "None" type is not a string'.
      const found = await problems(chain("      resources: [OS::Heat::None, { a: 1 }]"));
      expect(found).toEqual(['resources.chain.properties.resources[1]: must be a resource type name (a string), not {"a":1}']);
    });

    it("a chain the tree cannot hold is refused before anything is built, naming the list", async () => {
      const t = testEngine({ limits: { ...DEFAULT_LIMITS, maxResourcesPerStack: 3 } });
      const err = await t.engine.createStack({ projectId: P, name: "big", template: chainOf(three) }).catch((e) => e);
      expect((err as TemplateInvalid).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        "resources.chain.properties.resources: 3 members would bring the stack and its nested stacks to at least 4 resources, over the limit of 3",
      ]);
      expect(t.store.stacks.size).toBe(0);
    });

    it("get_attr of an attribute no member has is refused, refs_map and removed_rsrc_list included", async () => {
      // Heat 19 at create: "The Referenced Attribute (0 refs_map) is incorrect." (and likewise for the others).
      const outputs = ["refs_map", "removed_rsrc_list", "nosuch"].map((a) => `  ${a}: { value: { get_attr: [chain, ${a}] } }`).join("\n");
      const found = await problems(`${chain("      resources: [OS::Heat::TestResource]")}outputs:\n${outputs}\n`);
      expect(found).toEqual([
        expect.stringMatching(/^outputs\.refs_map\.value.*: .*refs_map/),
        expect.stringMatching(/^outputs\.removed_rsrc_list\.value.*: .*removed_rsrc_list/),
        expect.stringMatching(/^outputs\.nosuch\.value.*: .*nosuch/),
      ]);
    });

    it("a template in the list must be among the files", async () => {
      const found = await problems(chain("      resources: [missing.yaml]"));
      expect(found).toEqual([expect.stringMatching(/^resources\.chain\.properties\.resources\[0\]: .*missing\.yaml.*not among the submitted files/)]);
    });
  });
});
