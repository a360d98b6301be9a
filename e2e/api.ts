import type { APIRequestContext } from "@playwright/test";

/** Calls a tRPC mutation of the server under test (no transformer: plain JSON in and out). */
export async function mutate<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${path}`, { data: input });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${path}: ${body.error?.message ?? res.status()}`);
  return body.result.data as T;
}

export async function query<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const url = `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  // A kept-alive connection the server has just closed fails once with ECONNRESET: a read is safe to repeat.
  const res = await request.get(url).catch(() => request.get(url));
  const body = await res.json();
  if (!res.ok()) throw new Error(`${path}: ${body.error?.message ?? res.status()}`);
  return body.result.data as T;
}

/** A HOT template of TestResources: name → properties and dependencies. */
export function testTemplate(resources: Record<string, { wait?: number; fail?: boolean; dependsOn?: string[] }>, extra = ""): string {
  const lines = ["heat_template_version: 2018-08-31", extra, "resources:"];
  for (const [name, r] of Object.entries(resources)) {
    lines.push(`  ${name}:`, "    type: OS::Heat::TestResource");
    if (r.dependsOn?.length) lines.push(`    depends_on: [${r.dependsOn.join(", ")}]`);
    lines.push("    properties:", `      value: ${name}`);
    if (r.wait) lines.push(`      action_wait_secs: { create: ${r.wait} }`);
    if (r.fail) lines.push("      fail: true");
  }
  return lines.filter((l) => l !== "").join("\n") + "\n";
}
