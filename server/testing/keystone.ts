/**
 * The real Keystone that `../shared/minicloud/up.sh keystone` starts (`.ci/run` starts it for
 * CI), and what Keystone-mode tests need in it: a service user for Kiln, a reader, a second
 * project, and tokens. Tests fail when Keystone is not up; they are skipped, loudly, only
 * with KILN_TEST_NO_KEYSTONE=1.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const KEYSTONE_URL = process.env.KILN_TEST_KEYSTONE_URL ?? "http://127.0.0.1:28000/v3";
/** Where up.sh puts Keystone's configuration (and so its Fernet keys). */
const KEYSTONE_CONF = "/tmp/minicloud/etc/keystone.conf";

export const keystoneSkipped = process.env.KILN_TEST_NO_KEYSTONE === "1";
if (keystoneSkipped) console.warn("\n*** KILN_TEST_NO_KEYSTONE=1: the Keystone-mode tests are SKIPPED; nothing here proves Keystone mode works ***\n");

/** The users tests sign in as: minicloud's own (admin, demo) and the ones ensureTestUsers makes. */
export const USERS = {
  admin: { name: "admin", password: "admin", project: "admin" },
  demo: { name: "demo", password: "demo", project: "demo" },
  /** reader in demo, member in kiln-test-other. */
  reader: { name: "kiln-test-reader", password: "kiln-test-reader-pw", project: "demo" },
  /** Kiln's service user: the service role in the service project, as Heat's is. */
  service: { name: "kiln-test-service", password: "kiln-test-service-pw", project: "service" },
} as const;
export const OTHER_PROJECT = "kiln-test-other";

export interface Issued {
  token: string;
  userId: string;
  projectId: string | undefined;
  expiresAt: string;
}

async function keystone(method: string, pathAndQuery: string, opts: { token?: string; body?: unknown; subject?: string } = {}): Promise<Response> {
  return fetch(`${KEYSTONE_URL}${pathAndQuery}`, {
    method,
    headers: { "content-type": "application/json", ...(opts.token ? { "x-auth-token": opts.token } : {}), ...(opts.subject ? { "x-subject-token": opts.subject } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** A token for a user's password, scoped to a project (by name, in Default) or unscoped. */
export async function issueToken(user: string, password: string, project?: string): Promise<Issued> {
  const res = await keystone("POST", "/auth/tokens?nocatalog", {
    body: {
      auth: {
        identity: { methods: ["password"], password: { user: { name: user, domain: { id: "default" }, password } } },
        ...(project ? { scope: { project: { name: project, domain: { id: "default" } } } } : {}),
      },
    },
  });
  if (res.status !== 201) throw new Error(`Keystone refused a token for ${user}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: { user: { id: string }; project?: { id: string }; expires_at: string } };
  return { token: res.headers.get("x-subject-token")!, userId: body.token.user.id, projectId: body.token.project?.id, expiresAt: body.token.expires_at };
}

export const tokenOf = (who: keyof typeof USERS) => issueToken(USERS[who].name, USERS[who].password, USERS[who].project);

/** Revokes a token in Keystone, as `openstack token revoke` does. */
export async function revokeToken(token: string): Promise<void> {
  const res = await keystone("DELETE", "/auth/tokens", { token, subject: token });
  if (res.status !== 204) throw new Error(`revoking failed: HTTP ${res.status}`);
}

/** Whether Keystone itself still takes the token. */
export async function keystoneAccepts(token: string): Promise<boolean> {
  return (await keystone("GET", "/auth/tokens?nocatalog", { token, subject: token })).status === 200;
}

/** A token issued with Keystone's own code and keys, expiring `minutes` from now (negative: expired already). */
export function tokenExpiringIn(userId: string, projectId: string, minutes: number): string {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "keystoneToken.py");
  const run = spawnSync("/usr/bin/python3", [script, KEYSTONE_CONF, userId, projectId, String(minutes)], { encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) throw new Error(`keystoneToken.py failed: ${run.stderr}`);
  return run.stdout.trim().split("\n").at(-1)!;
}

async function idOf(adminToken: string, collection: "users" | "projects" | "roles", name: string): Promise<string | undefined> {
  const res = await keystone("GET", `/${collection}?name=${encodeURIComponent(name)}`, { token: adminToken });
  const items = ((await res.json()) as Record<string, { id: string }[]>)[collection]!;
  return items[0]?.id;
}

async function ensure(adminToken: string, collection: "users" | "projects", name: string, body: Record<string, unknown>): Promise<string> {
  const found = await idOf(adminToken, collection, name);
  if (found) return found;
  const res = await keystone("POST", `/${collection}`, { token: adminToken, body: { [collection.slice(0, -1)]: { name, domain_id: "default", ...body } } });
  if (res.status !== 201) throw new Error(`creating ${name} failed: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as Record<string, { id: string }>)[collection.slice(0, -1)]!.id;
}

async function grant(adminToken: string, projectId: string, userId: string, role: string): Promise<void> {
  const roleId = await idOf(adminToken, "roles", role);
  if (!roleId) throw new Error(`Keystone has no role "${role}"`);
  const res = await keystone("PUT", `/projects/${projectId}/users/${userId}/roles/${roleId}`, { token: adminToken });
  if (res.status !== 204) throw new Error(`granting ${role} failed: HTTP ${res.status}`);
}

/**
 * Fails with how to start Keystone when it does not answer; then makes (idempotently) the
 * service user, the reader and the second project. Answers project ids by name.
 */
export async function ensureTestUsers(): Promise<Record<string, string>> {
  try {
    await keystone("GET", "");
  } catch (e) {
    throw new Error(`Keystone does not answer at ${KEYSTONE_URL} (${(e as Error).message}): start it with ../shared/minicloud/up.sh keystone (.ci/run does), or set KILN_TEST_NO_KEYSTONE=1 to skip these tests`);
  }
  const admin = (await tokenOf("admin")).token;
  const projects: Record<string, string> = {};
  for (const name of ["admin", "demo", "service", OTHER_PROJECT]) projects[name] = await ensure(admin, "projects", name, { description: "Kiln's Keystone-mode tests" });
  const service = await ensure(admin, "users", USERS.service.name, { password: USERS.service.password });
  await grant(admin, projects.service!, service, "service");
  const reader = await ensure(admin, "users", USERS.reader.name, { password: USERS.reader.password });
  await grant(admin, projects.demo!, reader, "reader");
  await grant(admin, projects[OTHER_PROJECT]!, reader, "member");
  return projects;
}

/** Kiln's environment for Keystone mode, validating with the test service user. */
export const keystoneEnv = (url = KEYSTONE_URL, extra: Record<string, string> = {}): Record<string, string> => ({
  KILN_KEYSTONE_URL: url,
  KILN_KEYSTONE_USERNAME: USERS.service.name,
  KILN_KEYSTONE_PASSWORD: USERS.service.password,
  KILN_KEYSTONE_PROJECT_NAME: USERS.service.project,
  // No built-in admin to sign in as: the server starts without one (startServer then signs nobody in).
  KILN_ADMIN_PASSWORD: "",
  ...extra,
});

/** Deletes every trust given to the test service user: a test server stopped with stacks left leaves their trusts behind. */
export async function deleteServiceTrusts(): Promise<void> {
  const admin = (await tokenOf("admin")).token;
  const serviceId = await idOf(admin, "users", USERS.service.name);
  if (!serviceId) return;
  const res = await keystone("GET", `/OS-TRUST/trusts?trustee_user_id=${serviceId}`, { token: admin });
  for (const t of ((await res.json()) as { trusts?: { id: string; trustee_user_id: string }[] }).trusts ?? []) {
    if (t.trustee_user_id === serviceId) await keystone("DELETE", `/OS-TRUST/trusts/${t.id}`, { token: admin });
  }
}
