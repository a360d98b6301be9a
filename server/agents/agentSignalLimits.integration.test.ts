/**
 * A deployment's report is held to the same limits whichever door it comes through — Heat's
 * signal URL or Kiln's agent connection — on a real server process: one nested too deep is
 * refused, once and for all (not "try again"), and changes nothing.
 */
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, expect, it } from "vitest";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("agent-signal-limits", { KILN_WORKERS: "1" });

const template = `
heat_template_version: 2018-08-31
resources:
  box: { type: OS::Heat::DeployedServer }
  config: { type: OS::Heat::SoftwareConfig, properties: { group: script, config: "echo hi" } }
  deploy: { type: OS::Heat::SoftwareDeployment, properties: { config: { get_resource: config }, server: { get_resource: box } } }
`;

interface Entry {
  id: string;
  inputs: { name: string; value: unknown }[];
}
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

/** The server's agent connection, once its deployment is in its metadata. */
async function agentWithEntry(stack: string): Promise<{ socket: Socket; entry: Entry }> {
  let cfn: { access_key_id: string; secret_access_key: string } | undefined;
  await expect
    .poll(async () => (cfn = (await trpc<{ attributes: { os_collect_config?: { cfn: typeof cfn } } }>(server(), "resources.show", { stack, resource: "box" })).attributes.os_collect_config?.cfn), { timeout: 15_000 })
    .toBeTruthy();
  const socket = connect(`${server().url}/agent`, { auth: { server: cfn!.access_key_id, credential: cfn!.secret_access_key }, transports: ["websocket"], forceNew: true });
  sockets.push(socket);
  const entry = await new Promise<Entry>((resolve) =>
    socket.on("metadata", (md: { deployments: Entry[] }) => {
      if (md.deployments[0]) resolve(md.deployments[0]);
    }),
  );
  return { socket, entry };
}

const nested = (depth: number): unknown => (depth === 0 ? "bottom" : [nested(depth - 1)]);

it("a report nested too deep is refused at both doors alike, and the deployment still waits", async () => {
  const stack = (await trpc<{ id: string }>(server(), "stacks.create", { name: "deep", template }, "mutation")).id;
  const { socket, entry } = await agentWithEntry(stack);
  const report = { deploy_stdout: nested(150), deploy_status_code: 0 };

  const signalUrl = String(entry.inputs.find((i) => i.name === "deploy_signal_id")!.value);
  const byUrl = await fetch(signalUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(report) });
  const urlError = ((await byUrl.json()) as { error: string }).error;
  expect([byUrl.status, urlError]).toEqual([400, expect.stringMatching(/nested more than 100 levels deep/)]);

  const bySocket = (await socket.timeout(5000).emitWithAck("signal", entry.id, report)) as { error?: string; retry?: boolean };
  expect(bySocket).toEqual({ error: urlError });

  const deploy = await trpc<{ resourceStatus: string }>(server(), "resources.show", { stack, resource: "deploy" });
  expect(deploy.resourceStatus).toBe("CREATE_IN_PROGRESS");
  // The rightful report still completes it.
  expect(await socket.timeout(5000).emitWithAck("signal", entry.id, { deploy_stdout: "hi", deploy_status_code: 0 })).toEqual({ status: "COMPLETE" });
}, 30_000);
