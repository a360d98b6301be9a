/**
 * Heat's metadata and signal URLs on a real server process: a server reads its metadata with
 * its credential (Last-Modified, 304 when unchanged) and reports a deployment with its token;
 * anyone else gets a bare 404, and a bad body a 4xx that changes nothing.
 */
import { expect, it } from "vitest";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("heat-urls");

const template = (greeting = "hello") => `
heat_template_version: 2018-08-31
resources:
  one: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  two: { type: OS::Heat::DeployedServer, properties: { software_config_transport: POLL_TEMP_URL } }
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "echo ${greeting}", outputs: [{ name: answer }] }
  put_deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: config }, server: { get_resource: one }, signal_transport: TEMP_URL_SIGNAL }
  post_deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: config }, server: { get_resource: two }, signal_transport: CFN_SIGNAL }
outputs:
  answer: { value: { get_attr: [put_deploy, answer] } }
`;

interface Deployment {
  id: string;
  inputs: { name: string; value: unknown }[];
}
const input = (d: Deployment, name: string) => d.inputs.find((i) => i.name === name)?.value as string;

async function metadataUrl(stack: string, name: string): Promise<string> {
  let url = "";
  await expect
    .poll(async () => {
      const r = await trpc<{ attributes: { os_collect_config?: { request?: { metadata_url: string } } } }>(server(), "resources.show", { stack, resource: name });
      url = r.attributes.os_collect_config?.request?.metadata_url ?? "";
      return url;
    }, { timeout: 15_000 })
    .toMatch(/\/api\/servers\/[0-9a-f-]{36}\/metadata\/[A-Za-z0-9_-]{43}$/);
  return url;
}

async function deploymentsAt(url: string): Promise<Deployment[]> {
  let found: Deployment[] = [];
  await expect.poll(async () => (found = ((await (await fetch(url)).json()) as { deployments: Deployment[] }).deployments).length, { timeout: 15_000 }).toBe(1);
  return found;
}

const status = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;

it("a server reads its own metadata and reports its deployment; everyone else gets 404", async () => {
  const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "deployed", template: template() }, "mutation");
  const oneUrl = await metadataUrl(stack.id, "one");
  const twoUrl = await metadataUrl(stack.id, "two");
  const [put] = await deploymentsAt(oneUrl);
  const [post] = await deploymentsAt(twoUrl);
  expect(input(put!, "deploy_signal_verb")).toBe("PUT");
  expect(input(post!, "deploy_signal_verb")).toBe("POST");

  // Metadata: Last-Modified, HEAD without a body, 304 when unchanged.
  const got = await fetch(oneUrl);
  expect(got.status).toBe(200);
  const lastModified = got.headers.get("last-modified")!;
  expect(lastModified).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const document = (await got.json()) as Record<string, unknown>;
  expect(document["os-collect-config"]).toEqual({ collectors: ["request", "local"], request: { metadata_url: oneUrl } });
  const head = await fetch(oneUrl, { method: "HEAD" });
  expect([head.status, head.headers.get("last-modified"), await head.text()]).toEqual([200, lastModified, ""]);
  expect(await status(oneUrl, { headers: { "if-modified-since": lastModified } })).toBe(304);

  // Refused: another server's credential, a wrong one, an unknown server, a write.
  const [base1, cred1] = oneUrl.split("/metadata/") as [string, string];
  const [, cred2] = twoUrl.split("/metadata/") as [string, string];
  const refused = await fetch(`${base1}/metadata/${cred2}`);
  expect([refused.status, await refused.json()]).toEqual([404, { error: "Not found" }]);
  expect(await status(`${base1}/metadata/${cred1.slice(0, -1)}${cred1.endsWith("A") ? "B" : "A"}`)).toBe(404);
  expect(await status(`${server().url}/api/servers/00000000-0000-4000-a000-000000000000/metadata/${cred1}`)).toBe(404);
  expect(await status(oneUrl, { method: "POST", body: "{}" })).toBe(405);

  // Signals: a wrong token, another deployment's token, an unknown deployment, bad bodies.
  const putUrl = input(put!, "deploy_signal_id");
  const postUrl = input(post!, "deploy_signal_id");
  const putToken = putUrl.split("/signal/")[1]!;
  const body = JSON.stringify({ deploy_stdout: "hi", deploy_stderr: "", deploy_status_code: 0, answer: "42" });
  const json = { "content-type": "application/json" };
  expect(await status(putUrl.replace(/[A-Za-z0-9_-]{43}$/, "x".repeat(43)), { method: "PUT", headers: json, body })).toBe(404);
  expect(await status(postUrl.replace(/signal\/.*$/, `signal/${putToken}`), { method: "POST", headers: json, body })).toBe(404);
  expect(await status(`${server().url}/api/deployments/00000000-0000-4000-a000-000000000000/signal/${putToken}`, { method: "PUT", headers: json, body })).toBe(404);
  expect(await status(putUrl, { method: "PUT", headers: json, body: "{not json" })).toBe(400);
  expect(await status(putUrl, { method: "PUT", headers: json, body: "[1]" })).toBe(400);
  expect(await status(putUrl, { method: "PUT", headers: json, body: "[".repeat(200) + "]".repeat(200) })).toBe(400);
  expect(await status(putUrl, { method: "PUT", headers: json, body: JSON.stringify({ deploy_stdout: "x".repeat(2 * 1024 * 1024) }) })).toBe(413);
  expect(await status(putUrl)).toBe(405);
  const stackStatus = async () => (await trpc<{ stackStatus: string }>(server(), "stacks.show", { stack: stack.id })).stackStatus;
  expect(await stackStatus()).toBe("CREATE_IN_PROGRESS");

  // The real reports: PUT (TEMP_URL_SIGNAL) and POST (CFN_SIGNAL).
  const accepted = await fetch(putUrl, { method: "PUT", headers: json, body });
  expect([accepted.status, await accepted.json()]).toEqual([200, { status: "COMPLETE" }]);
  expect(await status(postUrl, { method: "POST", headers: json, body: JSON.stringify({ deploy_status_code: 0 }) })).toBe(200);
  await expect.poll(stackStatus, { timeout: 15_000 }).toBe("CREATE_COMPLETE");
  const outputs = await trpc<{ outputKey: string; outputValue: unknown }[]>(server(), "outputs.list", { stack: stack.id });
  expect(outputs.find((o) => o.outputKey === "answer")?.outputValue).toBe("42");

  // A change moves Last-Modified forward and hands the server a new config id.
  await trpc(server(), "stacks.update", { stack: stack.id, template: template("again") }, "mutation");
  await expect.poll(async () => (await fetch(oneUrl, { headers: { "if-modified-since": lastModified } })).status, { timeout: 15_000 }).toBe(200);
  const [redeploy] = await deploymentsAt(oneUrl);
  expect(redeploy!.id).not.toBe(put!.id);
  expect(input(redeploy!, "deploy_action")).toBe("UPDATE");
});
