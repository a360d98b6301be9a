/**
 * The OpenStack the cloud tests run against: the one the standard OS_* variables or OS_CLOUD
 * name, else the minicloud's `minicloud-demo` (/tmp/minicloud/clouds.yaml, started by .ci/run
 * with ../shared/minicloud/up.sh). A cloud that does not answer fails the tests, unless
 * KILN_TEST_NO_CLOUD=1 skips them (loudly).
 *
 * What a project member cannot make (a flavor, a public image, an external network) is made
 * once with the admin cloud (KILN_TEST_OS_ADMIN_CLOUD, default `minicloud-admin`), or named
 * by KILN_TEST_FLAVOR, KILN_TEST_IMAGE and KILN_TEST_PUBLIC_NETWORK on a cloud that has them.
 */
import { cloudFromEnvironment, cloudFromYaml, type CloudCredentials } from "../credentials";
import { KeystoneSession } from "../keystoneSession";

export const cloudSkipped = process.env.KILN_TEST_NO_CLOUD === "1";
if (cloudSkipped) console.warn("\n*** KILN_TEST_NO_CLOUD=1: the OpenStack cloud tests are SKIPPED; nothing here proves Kiln works against a cloud ***\n");

const MINICLOUD_YAML = "/tmp/minicloud/clouds.yaml";
const usesMinicloud = !process.env.OS_CLOUD && !process.env.OS_AUTH_URL;

/** The project's credentials: a member of the project the stacks act in. */
export function memberCredentials(): CloudCredentials {
  return usesMinicloud ? cloudFromYaml("minicloud-demo", { OS_CLIENT_CONFIG_FILE: MINICLOUD_YAML }) : cloudFromEnvironment()!;
}

/** An admin of the test cloud (KILN_TEST_OS_ADMIN_CLOUD, default `minicloud-admin`): for what a member may not see or make (users, flavors, public networks, a server's user_data). */
export function adminCredentials(): CloudCredentials {
  return cloudFromYaml(process.env.KILN_TEST_OS_ADMIN_CLOUD ?? "minicloud-admin", usesMinicloud ? { OS_CLIENT_CONFIG_FILE: MINICLOUD_YAML } : process.env);
}

/** The env a Kiln process is given to act in the test cloud, plus extra clouds.yaml fields. */
export function cloudEnv(): Record<string, string> {
  if (!usesMinicloud) return {};
  return { OS_CLIENT_CONFIG_FILE: MINICLOUD_YAML, OS_CLOUD: "minicloud-demo" };
}

export interface CloudFixtures {
  flavor: string;
  image: string;
  publicNetwork: string;
}

/** A stack of one server on no network: the quickest thing to boot. */
export const oneServerTemplate = (fx: CloudFixtures) => `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }] }
`;

let fixtures: Promise<CloudFixtures> | undefined;

/** Checks the cloud answers and makes (once) what the tests' templates name. */
export function testCloud(): Promise<CloudFixtures> {
  fixtures ??= prepare();
  return fixtures;
}

async function prepare(): Promise<CloudFixtures> {
  let member: CloudCredentials;
  try {
    member = memberCredentials();
    await new KeystoneSession(member, { retries: 0, timeoutMs: 10_000 }).projectId();
  } catch (e) {
    throw new Error(
      `The test cloud does not answer (${(e as Error).message}): start it with ../shared/minicloud/up.sh (.ci/run does), point OS_CLOUD or OS_* at another cloud, or set KILN_TEST_NO_CLOUD=1 to skip these tests`,
    );
  }
  const named = { flavor: process.env.KILN_TEST_FLAVOR, image: process.env.KILN_TEST_IMAGE, publicNetwork: process.env.KILN_TEST_PUBLIC_NETWORK };
  if (named.flavor && named.image && named.publicNetwork) return named as CloudFixtures;
  const admin = new KeystoneSession(adminCredentials());
  return {
    flavor: named.flavor ?? (await ensureFlavor(admin)),
    image: named.image ?? ((await ensureImage(admin, REBUILD_IMAGE)) && (await ensureImage(admin))),
    publicNetwork: named.publicNetwork ?? (await ensurePublicNetwork(admin)),
  };
}

type Obj = Record<string, unknown>;

async function ensureFlavor(admin: KeystoneSession): Promise<string> {
  const name = "kiln-test-tiny";
  const list = (await admin.call("compute", "GET", "/flavors?is_public=None")).body as { flavors: Obj[] };
  if (!list.flavors.some((f) => f.name === name)) {
    await admin.call("compute", "POST", "/flavors", { body: { flavor: { name, ram: 128, vcpus: 1, disk: 1 } }, expect: [409] });
  }
  const other = "kiln-test-small";
  if (!list.flavors.some((f) => f.name === other)) {
    await admin.call("compute", "POST", "/flavors", { body: { flavor: { name: other, ram: 256, vcpus: 1, disk: 1 } }, expect: [409] });
  }
  return name;
}

/** Second flavor, for resize tests. */
export const RESIZE_FLAVOR = "kiln-test-small";

/** Second image, for rebuild tests (made with the first). */
export const REBUILD_IMAGE = "kiln-test-image-2";

async function ensureImage(admin: KeystoneSession, name = "kiln-test-image"): Promise<string> {
  const found = (await admin.call("image", "GET", `/v2/images?name=${name}`)).body as { images: Obj[] };
  if (found.images.some((i) => i.status === "active")) return name;
  const created = (await admin.call("image", "POST", "/v2/images", { body: { name, disk_format: "raw", container_format: "bare", visibility: "public" } })).body as Obj;
  // The fake hypervisor boots nothing: any bytes make an active image.
  await admin.call("image", "PUT", `/v2/images/${String(created.id)}/file`, { body: "kiln test image", headers: { "content-type": "application/octet-stream" } });
  return name;
}

async function ensurePublicNetwork(admin: KeystoneSession): Promise<string> {
  const name = "kiln-test-public";
  const found = (await admin.call("network", "GET", `/v2.0/networks?name=${name}`)).body as { networks: Obj[] };
  let id = found.networks[0]?.id as string | undefined;
  if (!id) {
    const net = (await admin.call("network", "POST", "/v2.0/networks", { body: { network: { name, "router:external": true } } })).body as { network: Obj };
    id = String(net.network.id);
  }
  const subnets = (await admin.call("network", "GET", `/v2.0/subnets?network_id=${id}`)).body as { subnets: Obj[] };
  if (subnets.subnets.length === 0) {
    await admin.call("network", "POST", "/v2.0/subnets", { body: { subnet: { network_id: id, name: `${name}-subnet`, cidr: "198.51.100.0/24", ip_version: 4, enable_dhcp: false } } });
  }
  return name;
}

export interface KeystoneTestUser {
  name: string;
  /** No other text a test looks at contains it, so its absence there means something. */
  password: string;
  /** The project it is a member of. */
  projectName: string;
  remove(): Promise<void>;
}

/** A Keystone user made for one test file, a member of the member credentials' project; removed by `remove`. */
export async function makeKeystoneUser(prefix: string): Promise<KeystoneTestUser> {
  const admin = new KeystoneSession(adminCredentials());
  const member = memberCredentials();
  const projectId = await new KeystoneSession(member).projectId();
  const project = (await admin.call("identity", "GET", `/projects/${projectId}`)).body as { project: { name: string } };
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `${prefix}-${run}`;
  const password = `pw-${run}-${Math.random().toString(36).slice(2)}`;
  const user = ((await admin.call("identity", "POST", "/users", { body: { user: { name, password, domain_id: "default" } } })).body as { user: { id: string } }).user;
  const roles = (await admin.call("identity", "GET", "/roles?name=member")).body as { roles: { id: string }[] };
  await admin.call("identity", "PUT", `/projects/${projectId}/users/${user.id}/roles/${roles.roles[0]!.id}`);
  return { name, password, projectName: project.project.name, remove: async () => void (await admin.call("identity", "DELETE", `/users/${user.id}`, { expect: [404] })) };
}
