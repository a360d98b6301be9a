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
