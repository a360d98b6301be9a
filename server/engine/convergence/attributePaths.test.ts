/**
 * get_attr and get_resource into groups and nested stacks, every form Heat answers, with what
 * Heat 19 answered for the same template (the oracle, see /work/shared/heat-oracle).
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { TemplateInvalid } from "../errors";
import { stackOutputs } from "./stackOutputs";

const P = "project";

async function deploy(template: string, files: Record<string, string> = {}) {
  const t = testEngine();
  const created = await t.engine.createStack({ projectId: P, name: "s", template, files });
  await t.settle();
  const stack = (await t.stack(created.id))!;
  const outputs = await stackOutputs(t.engine.ctx, stack);
  const member = async (group: string, name: string) => {
    const [groupRow] = await t.store.findResources(stack.id, group);
    const [nested] = await t.store.childStacks([groupRow!.id]);
    return (await t.store.findResources(nested!.id, name))[0]!;
  };
  return { t, stack, outputs, member };
}

/** The outputs' values, or `{ error }` for those that could not be resolved. */
const valuesOf = (outputs: Record<string, { value?: unknown; error?: string }>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.error !== undefined ? { error: o.error } : o.value]));

const outputsSection = (outputs: Record<string, unknown[]>) =>
  `outputs:\n${Object.entries(outputs).map(([k, args]) => `  ${k}: {value: {get_attr: ${JSON.stringify(args)}}}`).join("\n")}\n`;

/** A template whose resource `group` has `count` members of `resourceDef` (a flow mapping); `extra`: more of its properties. */
const groupTemplate = (count: number, resourceDef: string, extra = "") => `
heat_template_version: 2018-08-31
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
${extra}      resource_def: ${resourceDef}
`;

const testGroup = (count: number, extra = "") => groupTemplate(count, "{type: OS::Heat::TestResource, properties: {value: v%index%}}", extra);

describe("get_attr on a ResourceGroup", () => {
  it("reaches a member, a member's attribute and a path into it, in each form Heat accepts", async () => {
    const { t, stack, outputs, member } = await deploy(
      testGroup(2) +
        outputsSection({
          r0: ["group", "resource.0"],
          r0_dotted: ["group", "resource.0.output"],
          r0_path: ["group", "resource.0", "output"],
          r0_into_value: ["group", "resource.0.output", 0],
          refs: ["group", "refs"],
          refs_second: ["group", "refs", 1],
          refs_map: ["group", "refs_map"],
          removed: ["group", "removed_rsrc_list"],
          by_member: ["group", "attributes", "output"],
          list: ["group", "output"],
          list_path: ["group", "output", 1],
          last_ref: ["group", "refs", -1],
        }) +
        "  nested_stack: {value: {get_resource: group}}\n",
    );
    expect(stack.status).toBe("COMPLETE");
    const [group] = await t.store.findResources(stack.id, "group");
    const [nested] = await t.store.childStacks([group!.id]);
    const [m0, m1] = [(await member("group", "0")).physicalId, (await member("group", "1")).physicalId];
    // Heat 19 answers the same for each (a path applies to each member's value: "v0"[1] is "0").
    expect(valuesOf(outputs)).toEqual({
      r0: m0,
      r0_dotted: "v0",
      r0_path: "v0",
      r0_into_value: "v",
      refs: [m0, m1],
      refs_second: m1,
      refs_map: { "0": m0, "1": m1 },
      removed: [],
      by_member: { "0": "v0", "1": "v1" },
      list: ["v0", "v1"],
      list_path: ["0", "1"],
      last_ref: m1,
      // get_resource on a group: its nested stack's id.
      nested_stack: nested!.id,
    });
  });

  it("a member that does not exist, or `attributes` without a name, is an output error; the other outputs still resolve", async () => {
    const { outputs } = await deploy(
      testGroup(2) +
        outputsSection({
          r5: ["group", "resource.5"],
          r5_dotted: ["group", "resource.5.output"],
          r5_path: ["group", "resource.5", "output"],
          rx: ["group", "resource.x"],
          attributes: ["group", "attributes"],
          fine: ["group", "resource.1.output"],
        }),
    );
    // Heat 19: "Member '5' not found in group resource 'group'." for the first three, 'x' for the
    // fourth, "The Referenced Attribute (group attributes) is incorrect." for the fifth.
    for (const name of ["r5", "r5_dotted", "r5_path"]) expect(outputs[name]).toEqual({ error: `get_attr: group "group" has no member "5" (its members: 0, 1)` });
    expect(outputs.rx!.error).toContain(`no member "x"`);
    expect(outputs.attributes!.error).toBe(`get_attr: "attributes" of group "group" needs a member attribute's name after it: [group, attributes, NAME]`);
    expect(outputs.fine).toEqual({ value: "v1" });
  });

  it("a group of count 0 gives empty lists and maps, and no member", async () => {
    const { outputs } = await deploy(
      testGroup(0) +
        outputsSection({
          refs: ["group", "refs"],
          refs_map: ["group", "refs_map"],
          list: ["group", "output"],
          by_member: ["group", "attributes", "output"],
          removed: ["group", "removed_rsrc_list"],
          r0: ["group", "resource.0"],
        }),
    );
    // Heat 19: [], {}, [], {}, [] and "Member '0' not found in group resource 'empty'."
    expect(valuesOf(outputs)).toEqual({ refs: [], refs_map: {}, list: [], by_member: {}, removed: [], r0: { error: `get_attr: group "group" has no member "0" (it has none)` } });
  });

  it("heat-templates' resource_group.yaml: a member is what get_resource gives for it (a RandomString's value)", async () => {
    // hot/resource_group/resource_group.yaml, as published (heat_template_version 2013-05-23).
    const { stack, outputs, member } = await deploy(`
heat_template_version: 2013-05-23
resources:
  random_group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: OS::Heat::RandomString
outputs:
  resource1_id:
    value: { get_attr: [random_group, resource.0] }
  resource2_id:
    value: { get_attr: [random_group, resource.1] }
  resource1_value:
    value: { get_attr: [random_group, resource.0.value] }
  resource2_value:
    value: { get_attr: [random_group, resource.1.value] }
  all_values:
    value: { get_attr: [random_group, value] }
`);
    expect(stack.status).toBe("COMPLETE");
    const [v0, v1] = [(await member("random_group", "0")).attributes.value, (await member("random_group", "1")).attributes.value];
    expect(typeof v0).toBe("string");
    // Heat 19: the ids are the random strings themselves.
    expect(valuesOf(outputs)).toEqual({ resource1_id: v0, resource2_id: v1, resource1_value: v0, resource2_value: v1, all_values: [v0, v1] });
  });

  it("after a scale-down and a removal_policies update, removed members are gone and removed_rsrc_list names those removed by policy", async () => {
    const watched = outputsSection({ removed: ["group", "removed_rsrc_list"], list: ["group", "output"], keys: ["group", "refs_map"], r1: ["group", "resource.1.output"] });
    const { t, stack } = await deploy(testGroup(3) + watched);
    const outputsAfter = async (template: string) => {
      await t.engine.updateStack(stack.id, { template });
      await t.settle();
      const values = valuesOf(await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!));
      return { ...values, keys: Object.keys(values.keys as object) };
    };
    const noMember1 = { error: `get_attr: group "group" has no member "1" (its members: 0)` };
    // The oracle's Heat 19 cannot update a group ("ResourcePropertiesData with id 5 not found"); its
    // ResourceGroup keeps only the names removal policies removed, in a skip list that
    // removed_rsrc_list shows. Scaling down removes the highest-numbered members and records none...
    expect(await outputsAfter(testGroup(1) + watched)).toEqual({ removed: [], list: ["v0"], keys: ["0"], r1: noMember1 });
    // ...a removal policy removes the member it names, for good: the group grows around it.
    expect(await outputsAfter(testGroup(3) + watched)).toMatchObject({ removed: [], keys: ["0", "1", "2"] });
    const policy = "      removal_policies: [{resource_list: ['1']}]\n";
    expect(await outputsAfter(testGroup(3, policy) + watched)).toEqual({
      removed: ["1"],
      list: ["v0", "v2", "v3"],
      keys: ["0", "2", "3"],
      r1: { error: `get_attr: group "group" has no member "1" (its members: 0, 2, 3)` },
    });
  });

  it("another resource's property gets a member's attribute", async () => {
    const { outputs } = await deploy(`${testGroup(2)}
  user:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [group, resource.1.output]}
outputs:
  user: {value: {get_attr: [user, output]}}
`);
    // Heat 19: "v1".
    expect(outputs.user).toEqual({ value: "v1" });
  });

  it("a group whose member failed still answers for its members: the failed one's attributes are null", async () => {
    // Kiln keeps what the group was when it failed: a member still in progress then has nothing to give.
    const memberFailingAt1 = `
heat_template_version: 2018-08-31
parameters:
  idx: {type: string}
conditions:
  bad: {equals: [{get_param: idx}, "1"]}
resources:
  r:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: ["", [m, {get_param: idx}]]}
      fail: {if: [bad, true, false]}
      # Fails once the other member is done, so that what is known of it is settled.
      action_wait_secs: {create: {if: [bad, 1, 0]}}
outputs:
  out: {value: {get_attr: [r, output]}}
`;
    const { stack, outputs, member } = await deploy(
      groupTemplate(2, `{type: member.yaml, properties: {idx: "%index%"}}`) + outputsSection({ r0_out: ["group", "resource.0.out"], r1_out: ["group", "resource.1.out"], list: ["group", "out"], refs: ["group", "refs"], r5: ["group", "resource.5"] }),
      { "member.yaml": memberFailingAt1 },
    );
    expect(stack.status).toBe("FAILED");
    // Heat 19: "m0", null, ["m0", null], both members' references, and "Member '5' not found in group resource 'group'."
    expect(valuesOf(outputs)).toEqual({
      r0_out: "m0",
      r1_out: null,
      list: ["m0", null],
      refs: [(await member("group", "0")).physicalId, (await member("group", "1")).physicalId],
      r5: { error: `get_attr: group "group" has no member "5" (its members: 0, 1)` },
    });
  });

  it("a property naming a member that does not exist fails the stack, naming the member", async () => {
    const { t, stack } = await deploy(`${testGroup(2)}
  user:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [group, resource.5.output]}
`);
    // Heat 19 fails the stack with "Member '5' not found in group resource 'group'." (and leaves
    // `user` unattempted); Kiln fails `user` itself, with the same substance.
    expect(stack.status).toBe("FAILED");
    expect(stack.statusReason).toContain(`get_attr: group "group" has no member "5" (its members: 0, 1)`);
    expect((await t.resources(stack.id)).user).toBe("CREATE_FAILED");
  });
});

const inner = `
heat_template_version: 2018-08-31
parameters:
  v: {type: string, default: dflt}
resources:
  r:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: v}
outputs:
  out: {value: {get_attr: [r, output]}}
  map: {value: {a: [1, 2, {b: deep}]}}
`;

const withStackId = `
heat_template_version: 2018-08-31
resources:
  r:
    type: OS::Heat::TestResource
    properties:
      value: z
outputs:
  OS::stack_id: {value: {get_attr: [r, output]}}
`;

const failingOutput = `
heat_template_version: 2018-08-31
resources:
  g:
    type: OS::Heat::ResourceGroup
    properties:
      count: 1
      resource_def: {type: OS::Heat::None}
outputs:
  missing: {value: {get_attr: [g, resource.5]}}
  fine: {value: ok}
`;

describe("get_attr and get_resource on a provider template", () => {
  const files = { "inner.yaml": inner, "inner_id.yaml": withStackId, "inner_err.yaml": failingOutput };

  it("its outputs are its attributes, with paths into them; get_resource gives its OS::stack_id output when it has one", async () => {
    const { t, stack, outputs } = await deploy(
      `
heat_template_version: 2018-08-31
resources:
  p:
    type: inner.yaml
    properties: {v: hello}
  pid:
    type: inner_id.yaml
outputs:
  p_ref: {value: {get_resource: p}}
  pid_ref: {value: {get_resource: pid}}
` +
        outputsSection({
          out: ["p", "out"],
          out_char: ["p", "out", 0],
          deep: ["p", "map", "a", 2, "b"],
          absent_key: ["p", "map", "zz"],
          all: ["p"],
          pid_stack_id: ["pid", "OS::stack_id"],
          no_stack_id: ["p", "OS::stack_id"],
        }).replace("outputs:\n", ""),
      files,
    );
    expect(stack.status).toBe("COMPLETE");
    const [p] = await t.store.findResources(stack.id, "p");
    // Heat 19 answers the same, except that get_resource on `p` (no OS::stack_id output) gives the
    // nested stack's ARN there, its id here; and [p, OS::stack_id] is "The Referenced Attribute
    // (p OS::stack_id) is incorrect."
    expect(valuesOf(outputs)).toEqual({
      p_ref: p!.physicalId,
      pid_ref: "z",
      out: "hello",
      out_char: "h",
      deep: "deep",
      absent_key: null,
      all: { out: "hello", map: { a: [1, 2, { b: "deep" }] } },
      pid_stack_id: "z",
      no_stack_id: { error: `get_attr: resource "p" has no attribute "OS::stack_id": its nested stack has no output of that name` },
    });
  });

  it("a nested output that failed fails the parent's get_attr of it (and of all its attributes), not the others", async () => {
    const { outputs } = await deploy(
      `
heat_template_version: 2018-08-31
resources:
  perr:
    type: inner_err.yaml
` + outputsSection({ missing: ["perr", "missing"], fine: ["perr", "fine"], all: ["perr"] }),
      files,
    );
    // Heat 19: "Error in perr output missing: Member '5' not found in group resource 'g'." for `missing` and `all`; "ok".
    const nestedError = `get_attr: the output "missing" of the nested stack of resource "perr" has an error: get_attr: group "g" has no member "5" (its members: 0)`;
    expect(valuesOf(outputs)).toEqual({ missing: { error: nestedError }, fine: "ok", all: { error: nestedError } });
  });

  it("a group of provider templates reaches into each member's outputs", async () => {
    const { outputs, member } = await deploy(
      groupTemplate(2, "{type: inner.yaml, properties: {v: m%index%}}") +
        `  gid:
    type: OS::Heat::ResourceGroup
    properties:
      count: 1
      resource_def: {type: inner_id.yaml}
` +
        outputsSection({
          r0: ["group", "resource.0"],
          r0_out: ["group", "resource.0.out"],
          r0_deep: ["group", "resource.0", "map", "a", 2, "b"],
          list: ["group", "out"],
          list_path: ["group", "map", "a", 0],
          by_member: ["group", "attributes", "out"],
          gid_r0: ["gid", "resource.0"],
          gid_refs: ["gid", "refs"],
        }),
      files,
    );
    // Heat 19 answers the same (its member references are ARNs where Kiln has the nested stack's id).
    expect(valuesOf(outputs)).toEqual({
      r0: (await member("group", "0")).physicalId,
      r0_out: "m0",
      r0_deep: "deep",
      list: ["m0", "m1"],
      list_path: [1, 1],
      by_member: { "0": "m0", "1": "m1" },
      gid_r0: "z",
      gid_refs: ["z"],
    });
  });
});

describe("get_attr on OS::Heat::Stack", () => {
  it("`outputs` maps the nested stack's outputs, and a path reaches into one", async () => {
    const { outputs } = await deploy(
      `
heat_template_version: 2018-08-31
resources:
  s:
    type: OS::Heat::Stack
    properties:
      template: {get_file: inner.yaml}
      parameters: {v: stk}
` + outputsSection({ all: ["s", "outputs"], out: ["s", "outputs", "out"], deep: ["s", "outputs", "map", "a", 2, "b"], absent: ["s", "outputs", "nope"] }),
      { "inner.yaml": inner },
    );
    // The oracle cannot run OS::Heat::Stack (it needs Keystone); Heat's `outputs` is the map of
    // output values, and its paths are those of every attribute.
    expect(valuesOf(outputs)).toEqual({ all: { out: "stk", map: { a: [1, 2, { b: "deep" }] } }, out: "stk", deep: "deep", absent: null });
  });
});

describe("attribute names are checked before anything is built", () => {
  const refused = async (template: string) => {
    const t = testEngine();
    const err = await t.engine.createStack({ projectId: P, name: "s", template }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateInvalid);
    expect(t.store.stacks.size).toBe(0);
    return (err as TemplateInvalid).problems.map((p) => `${p.path}: ${p.message}`);
  };

  it("an output naming an attribute its resource does not have", async () => {
    // Heat 19 refuses it at validate: "outputs.nope.value.get_attr: The Referenced Attribute (ok nope) is incorrect."
    expect(
      await refused(`
heat_template_version: 2018-08-31
resources:
  ok: {type: OS::Heat::TestResource}
outputs:
  nope: {value: {get_attr: [ok, nope]}}
`),
    ).toEqual([`outputs.nope.value.get_attr: resource "ok" (OS::Heat::TestResource) has no attribute "nope" (its attributes: output, show)`]);
  });

  it("any form of get_attr on a group naming an attribute its members do not have", async () => {
    // Heat 19 refuses each at create ("The Referenced Attribute (0 nope) is incorrect.", in the group's nested stack).
    const problems = await refused(
      testGroup(2) +
        outputsSection({ plain: ["group", "nope"], dotted: ["group", "resource.0.nope"], path: ["group", "resource.0", "nope"], by_member: ["group", "attributes", "nope"], fine: ["group", "resource.0", "output"] }),
    );
    const why = `the members of "group" (OS::Heat::TestResource) have no attribute "nope" (their attributes: output, show)`;
    expect(problems).toEqual(["plain", "dotted", "path", "by_member"].map((o) => `outputs.${o}.value.get_attr: ${why}`));
  });
});
