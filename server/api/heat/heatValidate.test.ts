/** Heat API validate with show_nested, against Heat 19's answers to the same files (the oracle). */
import { describe, expect, it } from "vitest";
import { validateRoute } from "./heatCatalog";
import type { HeatContext } from "./heatRequest";
import { DEFAULT_LIMITS } from "../../engine/limits";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Heat's answer, read as JSON
type Shown = Record<string, any>;

async function validate(body: Record<string, unknown>, showNested = true) {
  const ctx = {
    rt: { limits: DEFAULT_LIMITS, clouds: undefined },
    project: { id: "p" },
    query: new URLSearchParams(showNested ? { show_nested: "true" } : {}),
    body,
    templateUrls: { allowInternal: false },
  } as unknown as HeatContext;
  return (await validateRoute(ctx)).body as Shown;
}

const template = `
heat_template_version: 2018-08-31
parameters:
  pw: {type: string, hidden: true}
  lst: {type: comma_delimited_list, default: [a,b]}
resources:
  direct:
    type: vprov.yaml
    properties: { secret: {get_param: pw}, l: {get_param: lst}, n: "6" }
`;
const vprov = `
heat_template_version: 2018-08-31
parameters:
  secret: {type: string, default: d}
  l: {type: comma_delimited_list, default: []}
  n: {type: number, default: 1}
resources: {}
`;
const body = { template, environment: "parameters:\n  pw: s3cret\n", files: { "vprov.yaml": vprov } };

describe("validate with show_nested", () => {
  it("a nested parameter's Value is what the nested stack is given, typed as Heat 19 shows it", async () => {
    const p = (await validate(body)).NestedParameters.direct.Parameters;
    expect(p.l.Value).toBe("a,b"); 
    expect(p.n.Value).toBe(6); 
  });

  it("a hidden value passed into a nested stack is masked there too, as Kiln masks it everywhere else", async () => {
    const out = await validate(body);
    expect(out.Parameters.pw.Value).toBe("******");
    expect(JSON.stringify(out.NestedParameters)).not.toContain("s3cret");
  });

  it("OS::Heat::Stack has no NestedParameters entry in Heat 19 (RemoteStack is not a StackResource)", async () => {
    const out = await validate({ template: "heat_template_version: 2018-08-31\nresources:\n  s: { type: OS::Heat::Stack, properties: { template: { get_file: vprov.yaml } } }\n", files: { "vprov.yaml": vprov } });
    expect(out.NestedParameters).toBeUndefined();
  });

  it("a template that nests itself is refused as Heat 19 refuses it, not listed until a count runs out", async () => {
    const self = "heat_template_version: 2018-08-31\nresources:\n  again: { type: self.yaml }\n";
    await expect(validate({ template: self, files: { "self.yaml": self } })).rejects.toThrow(/Recursion depth exceeds 5/);
    // Without show_nested too, as the stack's create would be refused.
    await expect(validate({ template: self, files: { "self.yaml": self } }, false)).rejects.toThrow(/Recursion depth exceeds 5/);
  });

  it("one that would read more than 16 MB of nested templates is refused, saying so", async () => {
    const big = `heat_template_version: 2018-08-31\ndescription: ${"x".repeat(400_000)}\n`;
    const template = "heat_template_version: 2018-08-31\nresources:\n" + Array.from({ length: 50 }, (_, i) => `  r${i}: { type: big.yaml }\n`).join("");
    await expect(validate({ template, files: { "big.yaml": big } })).rejects.toThrow(/show_nested would read more than 1000 nested stacks or 16 MB/);
  });

  it("a nested parameter given another resource's attribute is listed without a Value and its constraints wait for the value, as Heat 19 lists it (TripleO passes data down so)", async () => {
    const prov = "heat_template_version: 2018-08-31\nparameters:\n  token: {type: string, constraints: [{length: {min: 40}}]}\n  size: {type: number}\nresources:\n  v: { type: OS::Heat::Value, properties: { value: {get_param: token} } }\n";
    const template = `heat_template_version: 2018-08-31
resources:
  secret: { type: OS::Heat::RandomString }
  direct:
    type: prov.yaml
    properties: { token: {get_attr: [secret, value]}, size: 3 }
  group:
    type: OS::Heat::ResourceGroup
    properties: { count: 2, resource_def: { type: prov.yaml, properties: { token: {get_attr: [secret, value]}, size: 1 } } }
`;
    const out = await validate({ template, files: { "prov.yaml": prov } });
    const direct = out.NestedParameters.direct.Parameters;
    expect(direct.token).toEqual({ Type: "String", Description: "", NoEcho: "false", Label: "token", MinLength: 40 });
    expect(direct.size.Value).toBe(3);
    const member = out.NestedParameters.group.NestedParameters["0"].Parameters;
    expect(member.token.Value).toBeUndefined();
    expect(member.token.MinLength).toBe(40);
  });

  it("a problem inside a nested template fails it, told where it nests and in which file, as Heat 19's does", async () => {
    const role = "heat_template_version: 2018-08-31\nresources:\n  svc: { type: OS::TripleO::Services::Missing }\n";
    const template = "heat_template_version: 2018-08-31\nresources:\n  compute:\n    type: OS::Heat::ResourceGroup\n    properties: { count: 2, resource_def: { type: role.yaml } }\n";
    const err = await validate({ template, files: { "role.yaml": role } }).catch((e: Error) => e);
    expect(err.message).toMatch(/^role\.yaml: resources\.compute\.resources\.0\.resources\.svc\.type \(3:10\): .*OS::TripleO::Services::Missing/);
    // Sent as the openstack CLI sends it, JSON on one line: its line and column would point nowhere in the user's file.
    const oneLine = JSON.stringify({ heat_template_version: "2018-08-31", resources: { svc: { type: "OS::TripleO::Services::Missing" } } });
    const told = await validate({ template, files: { "role.yaml": oneLine } }).catch((e: Error) => e);
    expect(told.message).toMatch(/^role\.yaml: resources\.compute\.resources\.0\.resources\.svc\.type: .*OS::TripleO::Services::Missing/);
  });
});

