/**
 * A member of one project naming another project's server or software config in a template,
 * on a real server process: the other project's server never sees the deployment, and the
 * other project's config never reaches the member's server (as in Heat, where both are looked
 * up within the caller's project).
 */
import { beforeAll, expect, it } from "vitest";
import { signIn, trpc, type Endpoint } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("cross-project", { KILN_WORKERS: "1" });

let victim: Endpoint;
let mallory: Endpoint;

beforeAll(async () => {
  const admin = { url: server().url, token: server().token };
  for (const [user, project] of [["vic", "victims"], ["mal", "mallorys"]] as const) {
    await trpc(admin, "projects.create", { name: project }, "mutation");
    await trpc(admin, "users.create", { name: user, password: `${user}-password` }, "mutation");
    await trpc(admin, "roles.add", { user, project, role: "member" }, "mutation");
  }
  victim = { url: server().url, token: await signIn(server().url, "vic", "vic-password") };
  mallory = { url: server().url, token: await signIn(server().url, "mal", "mal-password") };
});

const victimTemplate = `
heat_template_version: 2018-08-31
resources:
  box: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  secret_config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "echo victims-secret-password" }
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: secret_config }, server: { get_resource: box } }
`;

const ontoTheirServer = (victimServer: string) => `
heat_template_version: 2018-08-31
resources:
  payload:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "echo mallory-was-here" }
  onto_their_server:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: payload }, server: "${victimServer}" }
`;

const theirConfigHere = (victimConfig: string, how: "directly" | "in parts") => `
heat_template_version: 2018-08-31
resources:
  own_box: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  parts:
    type: OS::Heat::MultipartMime
    properties: { parts: [{ config: "${victimConfig}" }] }
  their_config_here:
    type: OS::Heat::SoftwareDeployment
    properties: { config: ${how === "directly" ? `"${victimConfig}"` : "{ get_resource: parts }"}, server: { get_resource: own_box } }
`;

interface Shown {
  physicalId: string;
  resourceStatus: string;
  statusReason: string;
  attributes: { os_collect_config?: { request?: { metadata_url: string } } };
}
const show = (who: Endpoint, stack: string, resource: string) => trpc<Shown>(who, "resources.show", { stack, resource });

async function metadataUrlOf(who: Endpoint, stack: string, resource: string): Promise<string> {
  let url = "";
  await expect.poll(async () => (url = (await show(who, stack, resource)).attributes.os_collect_config?.request?.metadata_url ?? ""), { timeout: 15_000 }).not.toBe("");
  return url;
}

interface Theirs {
  stack: string;
  metadataUrl: string;
  server: string;
  config: string;
}
let theirsOnce: Promise<Theirs> | undefined;
/** The victims' stack, made once by the first test that needs it. */
const victims = () =>
  (theirsOnce ??= (async () => {
    const stack = (await trpc<{ id: string }>(victim, "stacks.create", { name: "theirs", template: victimTemplate }, "mutation")).id;
    const metadataUrl = await metadataUrlOf(victim, stack, "box");
    await expect.poll(async () => (await show(victim, stack, "deploy")).physicalId, { timeout: 15_000 }).toBeTruthy();
    return { stack, metadataUrl, server: (await show(victim, stack, "box")).physicalId, config: (await show(victim, stack, "secret_config")).physicalId };
  })());

it("a deployment naming another project's server never reaches that server", async () => {
  const theirs = await victims();
  const mine = await trpc<{ id: string }>(mallory, "stacks.create", { name: "onto-theirs", template: ontoTheirServer(theirs.server) }, "mutation");
  // Written, and waiting for a server that will never hear of it.
  await expect.poll(async () => (await show(mallory, mine.id, "onto_their_server")).physicalId, { timeout: 15_000 }).toBeTruthy();
  const theirMetadata = await (await fetch(theirs.metadataUrl)).text();
  expect(theirMetadata).toContain("victims-secret-password");
  expect(theirMetadata).not.toContain("mallory-was-here");
  expect((JSON.parse(theirMetadata) as { deployments: unknown[] }).deployments).toHaveLength(1);
}, 30_000);

it("another project's software config is not found, as in Heat, and never reaches a server", async () => {
  const theirs = await victims();
  const direct = await trpc<{ id: string }>(mallory, "stacks.create", { name: "their-config", template: theirConfigHere(theirs.config, "directly") }, "mutation");
  await expect.poll(async () => (await show(mallory, direct.id, "their_config_here")).resourceStatus, { timeout: 15_000 }).toBe("CREATE_FAILED");
  expect((await show(mallory, direct.id, "their_config_here")).statusReason).toBe(`NotFound: resources.their_config_here: Software config ${theirs.config} not found`);
  expect(await (await fetch(await metadataUrlOf(mallory, direct.id, "own_box"))).text()).not.toContain("victims-secret-password");

  // A MultipartMime part naming it is taken as text, as one naming no config is.
  const parts = await trpc<{ id: string }>(mallory, "stacks.create", { name: "their-config-in-parts", template: theirConfigHere(theirs.config, "in parts") }, "mutation");
  await expect.poll(async () => (await show(mallory, parts.id, "their_config_here")).physicalId, { timeout: 15_000 }).toBeTruthy();
  const mine = await (await fetch(await metadataUrlOf(mallory, parts.id, "own_box"))).text();
  expect(mine).toContain(theirs.config);
  expect(mine).not.toContain("victims-secret-password");
}, 30_000);
