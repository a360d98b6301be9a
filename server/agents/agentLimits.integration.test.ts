/**
 * What whoever holds a server's credential can make Kiln do, on a real server process: a
 * deployment's report is held to the same limits whichever door it comes through (Heat's signal
 * URL or Kiln's agent connection), connections are bounded in number and pace, and the lines
 * it logs show no hidden value.
 */
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, expect, it } from "vitest";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("agent-limits", { KILN_WORKERS: "1" });

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

interface Cfn {
  access_key_id: string;
  secret_access_key: string;
}

async function credentialOf(stack: string): Promise<Cfn> {
  let cfn: Cfn | undefined;
  await expect
    .poll(async () => (cfn = (await trpc<{ attributes: { os_collect_config?: { cfn: Cfn } } }>(server(), "resources.show", { stack, resource: "box" })).attributes.os_collect_config?.cfn), { timeout: 15_000 })
    .toBeTruthy();
  return cfn!;
}

/** The server's agent connection, once its deployment is in its metadata. */
async function agentWithEntry(stack: string): Promise<{ socket: Socket; entry: Entry }> {
  const cfn = await credentialOf(stack);
  const socket = connect(`${server().url}/agent`, { auth: { server: cfn.access_key_id, credential: cfn.secret_access_key }, transports: ["websocket"], forceNew: true });
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

/** One connection attempt: the socket when it was let in, else the refusal. */
const attempt = (cfn: Cfn): Promise<{ socket?: Socket; error?: string }> =>
  new Promise((resolve) => {
    const socket = connect(`${server().url}/agent`, { auth: { server: cfn.access_key_id, credential: cfn.secret_access_key }, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.once("metadata", () => resolve({ socket }));
    socket.once("connect_error", (e) => resolve({ error: e.message }));
  });

it("a server's credential opens a few connections at once and at a bounded pace; more are told when to come back", async () => {
  const stack = (await trpc<{ id: string }>(server(), "stacks.create", { name: "busy", template }, "mutation")).id;
  const cfn = await credentialOf(stack);
  const open: Socket[] = [];
  for (let i = 0; i < 5; i++) open.push((await attempt(cfn)).socket!);
  expect((await attempt(cfn)).error).toBe("Too many connections for this server (at most 5); try again later");
  open.forEach((s) => s.close());

  // Connecting and disconnecting in a loop (each tells the stack's events) runs out.
  let admitted = 5;
  let refusal: string | undefined;
  while (!refusal && admitted < 100) {
    const next = await attempt(cfn);
    refusal = next.error;
    if (next.socket) {
      admitted++;
      next.socket.close();
    }
  }
  expect(refusal).toMatch(/^This server connects too often; try again in \d+ s$/);
  expect(admitted).toBe(30);
}, 30_000);

it("a hidden parameter's value or a signal token a script prints is masked in its live log lines, as everywhere it is shown", async () => {
  const hidden = template.replace("resources:", 'parameters:\n  pw: { type: string, hidden: true, default: "hunter2-very-secret" }\nresources:').replace(
    "server: { get_resource: box } }",
    "server: { get_resource: box }, input_values: { pw: { get_param: pw } } }",
  );
  const stack = (await trpc<{ id: string }>(server(), "stacks.create", { name: "hidden", template: hidden }, "mutation")).id;
  const { socket, entry } = await agentWithEntry(stack);
  // The agent is given it in clear: it needs it.
  expect(entry.inputs.find((i) => i.name === "pw")?.value).toBe("hunter2-very-secret");
  socket.emit("log", entry.id, "stdout", ["logging in with hunter2-very-secret"]);
  // Nor its signal token, which readers may not see (they could report in the server's stead).
  const signalUrl = String(entry.inputs.find((i) => i.name === "deploy_signal_id")!.value);
  const token = signalUrl.split("/signal/")[1]!;
  socket.emit("log", entry.id, "stderr", [`reporting to ${signalUrl}`]);
  const lines = async () => (await trpc<{ reason: string }[]>(server(), "events.list", { stack, kinds: ["debug"], resource: "deploy" })).map((e) => e.reason);
  await expect.poll(lines, { timeout: 5_000 }).toContain("stdout: logging in with ******");
  await expect.poll(lines, { timeout: 5_000 }).toContain(`stderr: reporting to ${signalUrl.replace(token, "******")}`);
  expect((await lines()).join("\n")).not.toContain("hunter2");
}, 30_000);
