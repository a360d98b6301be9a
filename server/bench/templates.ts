/** Generated templates for the benchmarks. */

const header = "heat_template_version: 2018-08-31\nresources:\n";

export function independent(n: number, type = "OS::Heat::None"): string {
  let out = header;
  for (let i = 0; i < n; i++) out += `  r${i}:\n    type: ${type}\n`;
  return out;
}

/** A linear chain: each resource reads the previous one's attribute. */
export function chain(n: number): string {
  let out = header;
  for (let i = 0; i < n; i++) {
    out += `  r${i}:\n    type: OS::Heat::TestResource\n    properties:\n      value: ${i === 0 ? "start" : `{ get_attr: [r${i - 1}, output] }`}\n`;
  }
  return out;
}

/**
 * Fan-out / fan-in: a root, `width` parallel branches of `depth` TestResources each waiting
 * `secs`, and a sink depending on every branch. Critical path: (depth) × secs.
 */
export function fan(width: number, depth: number, secs: number): { template: string; criticalPathMs: number } {
  let out = header + `  root:\n    type: OS::Heat::None\n`;
  const tails: string[] = [];
  for (let b = 0; b < width; b++) {
    for (let d = 0; d < depth; d++) {
      const name = `b${b}_${d}`;
      const dep = d === 0 ? "root" : `b${b}_${d - 1}`;
      out += `  ${name}:\n    type: OS::Heat::TestResource\n    depends_on: ${dep}\n    properties:\n      action_wait_secs: { create: ${secs}, delete: 0 }\n`;
    }
    tails.push(`b${b}_${depth - 1}`);
  }
  out += `  sink:\n    type: OS::Heat::None\n    depends_on: [${tails.join(", ")}]\n`;
  return { template: out, criticalPathMs: depth * secs * 1000 };
}

/** 1000 TestResources in a realistic web of get_attr references, for validate + graph. */
export function referenceWeb(n: number): string {
  let out = "heat_template_version: 2018-08-31\nparameters:\n  prefix: { type: string, default: app }\nresources:\n";
  for (let i = 0; i < n; i++) {
    const deps = [1, 2, 3].map((k) => i - k * 7).filter((j) => j >= 0);
    const value = deps.length
      ? `{ list_join: ["-", [{ get_param: prefix }, ${deps.map((j) => `{ get_attr: [r${j}, output] }`).join(", ")}]] }`
      : `{ get_param: prefix }`;
    out += `  r${i}:\n    type: OS::Heat::TestResource\n    properties:\n      value: ${value}\n`;
  }
  return out;
}

/** A provider-template tree: a template, the files it refers to, and how many resources the whole tree holds. */
export interface Tree {
  template: string;
  files: Record<string, string>;
  environment?: string[];
  resources: number;
}

/** A ResourceGroup of `stacks` provider stacks of `each` independent OS::Heat::None. */
export function groupOfStacks(stacks: number, each: number): Tree {
  const template = `${header}  group:\n    type: OS::Heat::ResourceGroup\n    properties:\n      count: ${stacks}\n      resource_def: { type: leaf.yaml }\n`;
  // The group, its members, and theirs.
  return { template, files: { "leaf.yaml": independent(each) }, resources: 1 + stacks + stacks * each };
}

/** A group of `count` provider stacks, each given its index and `passed`; the output `addresses` lists the members' `memberOutput`. */
function membersWithAddresses(name: string, count: number, type: string, passed: string, memberOutput: string): string {
  return `  ${name}:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
      resource_def:
        type: ${type}
        properties:
          index: "%index%"
          ${passed}
outputs:
  addresses:
    value: { get_attr: [${name}, ${memberOutput}] }
`;
}

/**
 * A deployment shaped like TripleO's: roles (a group of role.yaml), each with a group of nodes
 * (node.yaml), each node with `services` service.yaml stacks. A RandomString at the top and
 * one per node pass values down as properties; every level passes an output up.
 *
 * `withEnvironment`: as TripleO is deployed, the types are names its resource_registry maps to
 * the templates, and the services read a value no template passes them from its
 * parameter_defaults, among 100 KB of others (TripleO's run to hundreds of kilobytes), which
 * every nested stack inherits; and the files sent hold 1 MB of other templates (TripleO's
 * hold hundreds), which every nested stack is given too.
 */
export function tripleO(roles: number, nodes: number, services: number, withEnvironment = false): Tree {
  const typeOf = (file: string, name: string) => (withEnvironment ? name : file);
  const template = `heat_template_version: 2018-08-31
resources:
  secret:
    type: OS::Heat::RandomString
    properties: { length: 16 }
${membersWithAddresses("roles", roles, typeOf("role.yaml", "OS::TripleO::Role"), "secret: { get_attr: [secret, value] }", "addresses")}`;
  const role = `heat_template_version: 2018-08-31
parameters:
  index: { type: string }
  secret: { type: string }
resources:
  role_config:
    type: OS::Heat::Value
    properties:
      value: { list_join: ["-", [role, { get_param: index }, { get_param: secret }]] }
${membersWithAddresses("nodes", nodes, typeOf("node.yaml", "OS::TripleO::Node"), "role_config: { get_attr: [role_config, value] }", "address")}`;
  let node = `heat_template_version: 2018-08-31
parameters:
  index: { type: string }
  role_config: { type: string }
resources:
  password:
    type: OS::Heat::RandomString
    properties: { length: 12 }
  config:
    type: OS::Heat::Value
    properties:
      value: { list_join: [":", [{ get_param: role_config }, { get_param: index }, { get_attr: [password, value] }]] }
`;
  for (let s = 0; s < services; s++) {
    node += `  service${s}:\n    type: ${typeOf("service.yaml", "OS::TripleO::Service")}\n    properties:\n      config: { get_attr: [config, value] }\n      name: service${s}\n`;
  }
  node += `  address:
    type: OS::Heat::Value
    depends_on: [${Array.from({ length: services }, (_, s) => `service${s}`).join(", ")}]
    properties:
      value: { list_join: [".", ["10.0", { get_param: index }, { get_attr: [service0, settings] }]] }
outputs:
  address:
    value: { get_attr: [address, value] }
`;
  const service = `heat_template_version: 2018-08-31
parameters:
  config: { type: string }
  name: { type: string }
${withEnvironment ? "  domain: { type: string }\n" : ""}resources:
  settings:
    type: OS::Heat::Value
    properties:
      value: { list_join: ["/", [{ get_param: name }, { get_param: config }${withEnvironment ? ", { get_param: domain }" : ""}]] }
  started:
    type: OS::Heat::None
    depends_on: settings
outputs:
  settings:
    value: { get_attr: [settings, value] }
`;
  const perNode = 3 + services * 3; // password, config, address; each service and its two
  const perRole = 2 + nodes + nodes * perNode; // role_config, nodes; the group's members
  const environment = [
    "resource_registry:\n  OS::TripleO::Role: role.yaml\n  OS::TripleO::Node: node.yaml\n  OS::TripleO::Service: service.yaml\n",
    `parameter_defaults:\n  domain: example.com\n${Array.from({ length: 3000 }, (_, i) => `  Service${i}Setting: ${"x".repeat(30)}\n`).join("")}`,
  ];
  return {
    template,
    files: { "role.yaml": role, "node.yaml": node, "service.yaml": service, ...(withEnvironment ? otherTemplates(200, 5000) : {}) },
    ...(withEnvironment ? { environment } : {}),
    resources: 2 + roles + roles * perRole,
  };
}

/** `count` templates of about `bytes` each that nothing refers to: the rest of a large deployment's files. */
function otherTemplates(count: number, bytes: number): Record<string, string> {
  const body = (i: number) => `heat_template_version: 2018-08-31\ndescription: unused ${i} ${"x".repeat(bytes)}\n`;
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`deployment/other-${i}.yaml`, body(i)]));
}
