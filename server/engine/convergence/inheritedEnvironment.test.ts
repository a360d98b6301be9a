/**
 * What nested stacks inherit of their parent's environment, against Heat 19 (the oracle's
 * answers in the names), and what inheriting costs: each large inherited document parsed once.
 */
import { describe, expect, it, vi } from "vitest";

const big = { parses: 0 };
vi.mock("../template/fastYaml", async (original) => {
  const m = await original<typeof import("../template/fastYaml")>();
  return { ...m, fastLoad: (text: string) => (text.length > 100_000 && big.parses++, m.fastLoad(text)) };
});

import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";
import { TemplateInvalid } from "../errors";

const P = "project";
const files = {
  "a.yaml": "heat_template_version: 2018-08-31\noutputs:\n  value: { value: a }\n",
  "b.yaml": "heat_template_version: 2018-08-31\nresources:\n  x: { type: My::A }\noutputs:\n  inner: { value: { get_attr: [x, value] } }\n",
  "t.yaml": "heat_template_version: 2018-08-31\noutputs:\n  which: { value: t }\n",
  "special.yaml": "heat_template_version: 2018-08-31\noutputs:\n  which: { value: special }\n",
};
const group = `
heat_template_version: 2018-08-31
resources:
  grp:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: My::T } }
outputs:
  which: { value: { get_attr: [grp, which] } }
`;

async function run(template: string, environment: string[]) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "s", template, environment, files });
  await t.settle();
  const s = (await t.stack(stack.id))!;
  return { status: s.status, reason: s.statusReason, outputs: s.status === "COMPLETE" ? await stackOutputs(t.engine.ctx, s) : undefined };
}

describe("inheritance as Heat 19 (oracle results in comments)", () => {
  it("chain: a member's nested stack keeps the mappings of the chain's OTHER member types (Heat: b = 'a')", async () => {
    const r = await run(
      `
heat_template_version: 2018-08-31
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties: { resources: [My::A, My::B] }
outputs:
  b: { value: { get_attr: [chain, resource.1.inner] } }
`,
      ["resource_registry:\n  My::A: a.yaml\n  My::B: b.yaml\n"],
    );
    expect(r.status, r.reason).toBe("COMPLETE");
    expect(r.outputs!.b!.value).toBe("a");
  });

  it("group: an entry for a member name under the group's name picks that member's type (Heat: [special, t])", async () => {
    const r = await run(group, ['resource_registry:\n  My::T: t.yaml\n  resources:\n    grp:\n      "0": { My::T: special.yaml }\n']);
    expect(r.status).toBe("COMPLETE");
    expect(r.outputs!.which!.value).toEqual(["special", "t"]);
  });

  it("group: a type entry under the group's own name is for the group resource, not its members (Heat: [t, t])", async () => {
    const r = await run(group, ["resource_registry:\n  My::T: t.yaml\n  resources:\n    grp: { My::T: special.yaml }\n"]);
    expect(r.status).toBe("COMPLETE");
    expect(r.outputs!.which!.value).toEqual(["t", "t"]);
  });

  it("per-resource type mappings match the exact resource name only, not a glob (Heat: t)", async () => {
    const r = await run("heat_template_version: 2018-08-31\nresources:\n  web1: { type: My::T }\noutputs:\n  which: { value: { get_attr: [web1, which] } }\n", [
      'resource_registry:\n  My::T: t.yaml\n  resources:\n    "web*": { My::T: special.yaml }\n',
    ]);
    expect(r.status).toBe("COMPLETE");
    expect(r.outputs!.which!.value).toBe("t");
  });
});

describe("null registry entries (pre-existing)", () => {
  it("a later file's `Type: null` removes an earlier mapping, as Heat's does (Heat 19: CREATE_COMPLETE)", async () => {
    const r = await run("heat_template_version: 2018-08-31\nresources:\n  a: { type: OS::Heat::None }\n", ["resource_registry:\n  My::T: t.yaml\n", "resource_registry:\n  My::T: null\n"]);
    expect(r.status, r.reason).toBe("COMPLETE");
  });
});


/** `groups` groups of `members` each, every group of its own mapped type; ~200 KB of parameter_defaults. */
async function parsesOfInherited(groups: number, members: number, shuffle = false) {
  let seed = 42;
  const t = testEngine(shuffle ? { concurrency: 8, shuffle: () => ((seed = (seed * 16807) % 2147483647) / 2147483647) } : {});
  const files: Record<string, string> = {};
  let registry = "resource_registry:\n";
  let template = "heat_template_version: 2018-08-31\nresources:\n";
  for (let g = 0; g < groups; g++) {
    files[`m${g}.yaml`] = "heat_template_version: 2018-08-31\nparameters:\n  domain: { type: string }\noutputs:\n  d: { value: { get_param: domain } }\n";
    registry += `  My::M${g}: m${g}.yaml\n`;
    template += `  g${g}:\n    type: OS::Heat::ResourceGroup\n    properties: { count: ${members}, resource_def: { type: My::M${g} } }\n`;
  }
  const defaults = "parameter_defaults:\n  domain: example.com\n" + Array.from({ length: 5000 }, (_, i) => `  S${i}: ${"x".repeat(30)}\n`).join("");
  const stack = await t.engine.createStack({ projectId: "p", name: "s", template, files, environment: [registry, defaults] });
  big.parses = 0;
  await t.settle();
  expect((await t.stack(stack.id))!.status).toBe("COMPLETE");
  return big.parses;
}

it("with more than 8 distinct inherited documents in flight, each is still parsed about once, not once per nested stack", async () => {
  // Jobs interleaved as several workers run them (8 at once, in a shuffled order).
  // 8 groups' members inherit 8 distinct documents (each without its own group's mapping), the groups' own nested stacks 1: 9 parses for 168 nested stacks.
  expect(await parsesOfInherited(8, 20, true)).toBe(9);
  expect(await parsesOfInherited(16, 20, true)).toBe(17);
});

it("YAML aliases that would make parameter_defaults larger than 8 MB written out are refused, not inherited by every nested stack", async () => {
  const t = testEngine();
  // 120 KB as sent (2,000 aliases, under the 10,000 alias-node limit); 80 MB written out.
  const environment = ["resource_registry:\n  My::Prov: prov.yaml\n", `parameter_defaults:\n  big: &x "${"y".repeat(40_000)}"\n  many: [${Array(2000).fill("*x").join(", ")}]\n`];
  const files = { "prov.yaml": "heat_template_version: 2018-08-31\n" };
  const err = await t.engine.createStack({ projectId: P, name: "s", template: "heat_template_version: 2018-08-31\nresources:\n  prov: { type: My::Prov }\n", files, environment }).catch((e) => e);
  expect(err).toBeInstanceOf(TemplateInvalid);
  expect((err as TemplateInvalid).problems).toMatchObject([{ path: "parameter_defaults", message: expect.stringContaining("at most 8 MB") }]);
});

it("a nested stack's update is not previewed on its own, as it is not made on its own: its environment is its parent's to give", async () => {
  const t = testEngine();
  const files = { "prov.yaml": "heat_template_version: 2018-08-31\nparameters:\n  p0: { type: string, default: x }\n" };
  const stack = await t.engine.createStack({ projectId: P, name: "s", template: "heat_template_version: 2018-08-31\nresources:\n  prov: { type: My::Prov }\n", files, environment: ["resource_registry:\n  My::Prov: prov.yaml\n"] });
  await t.settle();
  const nested = (await t.store.childStacks([(await t.store.findResources(stack.id, "prov"))[0]!.id]))[0]!;
  const huge = "parameter_defaults:\n" + Array.from({ length: 40_000 }, (_, i) => `  p${i}: ${"v".repeat(30)}\n`).join("");
  const request = { template: files["prov.yaml"], files, environment: [huge] };
  await expect(t.engine.previewUpdate(stack.id, request)).rejects.toThrow(/exceeds the maximum allowed size/);
  await expect(t.engine.previewUpdate(nested.id, request)).rejects.toThrow(/is nested; preview an update of its parent instead/);
});
