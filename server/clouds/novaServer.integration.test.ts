/**
 * What OS::Nova::Server does beyond booting, on a real cloud and a real Kiln process: booting
 * from a volume (block_device_mapping_v2), and software deployments on servers booted with
 * `user_data_format: SOFTWARE_CONFIG`. For the latter the fake hypervisor runs no guest, so the test plays it:
 * it reads each server's user_data back through Nova (as admin, at a microversion that shows
 * it), takes the os-collect-config settings out of it as cloud-init would (Python's email
 * parser), and starts an agent with them: Kiln's agent on one server, the unmodified
 * heat-agents chain (os-collect-config → … → heat-config-notify) on the other.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type AgentProcess } from "../testing/agentProcess";
import { heatAgentsDir } from "../testing/heatAgentsFixture";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";
import { KeystoneSession } from "./keystoneSession";
import { adminCredentials, cloudEnv, cloudSkipped, memberCredentials, testCloud, type CloudFixtures } from "./testing/testCloud";

type Obj = Record<string, unknown>;

// The parts of a user_data, each with its type, file name and (decoded) content, as cloud-init's walk sees them.
const PARTS_OF = `
import email, json, sys
message = email.message_from_string(sys.stdin.read())
print(json.dumps([{"type": p.get_content_type(), "filename": p.get_filename(), "content": p.get_payload(decode=True).decode()}
                  for p in message.walk() if not p.is_multipart()]))
`;

interface Part {
  type: string;
  filename: string | null;
  content: string;
}

describe.skipIf(cloudSkipped)("OS::Nova::Server", () => {
  const server = serverForSuite("nova-server", cloudEnv());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-nova-software-"));
  const agents: AgentProcess[] = [];
  const heatAgents: ChildProcess[] = [];
  let fx: CloudFixtures;
  let admin: KeystoneSession;

  const deleted = async (stackId: string) => {
    await trpc(server(), "stacks.delete", { stack: stackId }, "mutation");
    await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stackId), { timeout: 120_000 }).toBe(false);
  };
  beforeAll(async () => {
    fx = await testCloud();
    admin = new KeystoneSession(adminCredentials());
  }, 120_000);
  afterAll(async () => {
    // A test that failed half way leaves its stack: deleted, so the cloud keeps nothing of this run.
    for (const s of await trpc<{ id: string }[]>(server(), "stacks.list", {}).catch(() => [])) await deleted(s.id).catch(() => undefined);
    await Promise.all(agents.map((a) => a.stop()));
    for (const a of heatAgents) if (a.exitCode === null && a.pid) process.kill(-a.pid, "SIGTERM");
    await Promise.all(heatAgents.map((a) => (a.exitCode === null ? new Promise((r) => a.once("exit", r)) : undefined)));
    fs.rmSync(work, { recursive: true, force: true });
  }, 300_000);

  const softwareConfigVm = (extra: string) =>
    `{ image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }], user_data_format: SOFTWARE_CONFIG, software_config_transport: POLL_TEMP_URL${extra} }`;
  const template = () => `
heat_template_version: 2018-08-31
resources:
  greet:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{ name: who }]
      outputs: [{ name: greeting }]
      config: |
        #!/bin/sh
        echo "greeting $who"
        printf "hello %s" "$who" > "$heat_outputs_path.greeting"
  kiln_vm: { type: OS::Nova::Server, properties: ${softwareConfigVm(', user_data: "#!/bin/sh\\necho booted"')} }
  heat_vm: { type: OS::Nova::Server, properties: ${softwareConfigVm("")} }
  kiln_deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: greet }, server: { get_resource: kiln_vm }, input_values: { who: kiln }, signal_transport: TEMP_URL_SIGNAL }
  heat_deploy:
    type: OS::Heat::SoftwareDeployment
    properties: { config: { get_resource: greet }, server: { get_resource: heat_vm }, input_values: { who: heat }, signal_transport: TEMP_URL_SIGNAL }
outputs:
  kiln: { value: { get_attr: [kiln_deploy, greeting] } }
  heat: { value: { get_attr: [heat_deploy, greeting] } }
  kiln_stdout: { value: { get_attr: [kiln_deploy, deploy_stdout] } }
`;

  /** The server's user_data, as Nova gives it to the guest, split into parts. */
  const userDataParts = async (serverId: string): Promise<Part[]> => {
    const answer = await admin.call("compute", "GET", `/servers/${serverId}`, { headers: { "openstack-api-version": "compute 2.3", "x-openstack-nova-api-version": "2.3" } });
    const encoded = (answer.body as { server: Obj }).server["OS-EXT-SRV-ATTR:user_data"];
    expect(typeof encoded).toBe("string");
    const text = Buffer.from(String(encoded), "base64").toString("utf8");
    return JSON.parse(execFileSync("python3", ["-c", PARTS_OF], { input: text, encoding: "utf8" })) as Part[];
  };

  const created = async (name: string, template: string) => {
    const stack = await trpc<{ id: string }>(server(), "stacks.create", { name, template }, "mutation");
    const show = () => trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id });
    await expect.poll(async () => (await show()).stackStatus, { timeout: 120_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
    return { id: stack.id, ...(await show()) };
  };
  // The delete ends when Nova reports the server DELETED, as Heat's does; Nova drops the record
  // itself a moment later, so the 404 is waited for rather than expected at once.
  const expectServerGone = async (id: string) => {
    const shown = await admin.call("compute", "GET", `/servers/${id}`, { expect: [404] });
    if (shown.status !== 404) expect((shown.body as { server: { status: string } }).server.status).toBe("DELETED");
    await expect.poll(async () => (await admin.call("compute", "GET", `/servers/${id}`, { expect: [404] })).status, { timeout: 30_000, interval: 500 }).toBe(404);
  };
  const physicalId = async (stackId: string, name: string) => (await trpc<{ physicalId: string }>(server(), "resources.show", { stack: stackId, resource: name })).physicalId;

  it("boots from an existing volume (block_device_mapping_v2, boot index 0, no image); the delete leaves the volume, as delete_on_termination false says", { timeout: 240_000 }, async () => {
    // The fake Cinder driver makes no volume from an image: a blank one marked bootable stands in.
    const member = new KeystoneSession(memberCredentials());
    const made = ((await member.call("volumev3", "POST", "/volumes", { body: { volume: { size: 1, name: "kiln-test-boot-volume" } } })).body as { volume: { id: string } }).volume.id;
    const volumeOf = async () => ((await admin.call("volumev3", "GET", `/volumes/${made}`)).body as { volume: { status: string; bootable: string; attachments: Obj[] } }).volume;
    try {
      await expect.poll(async () => (await volumeOf()).status, { timeout: 60_000 }).toBe("available");
      await member.call("volumev3", "POST", `/volumes/${made}/action`, { body: { "os-set_bootable": { bootable: true } } });
      const stack = await created(
        "boot-from-volume",
        `
heat_template_version: 2018-08-31
resources:
  vm:
    type: OS::Nova::Server
    properties:
      flavor: ${fx.flavor}
      networks: [{ allocate_network: none }]
      block_device_mapping_v2: [{ volume_id: ${made}, boot_index: 0, device_name: vda }]
`,
      );
      expect(stack.stackStatus, stack.statusReason).toBe("CREATE_COMPLETE");
      const vm = await physicalId(stack.id, "vm");
      const nova = ((await admin.call("compute", "GET", `/servers/${vm}`)).body as { server: Obj }).server;
      expect(nova["os-extended-volumes:volumes_attached"]).toEqual([expect.objectContaining({ id: made })]);
      // Booted from the volume: Nova shows no image.
      expect(nova.image).toBe("");
      // Not booted for software deployments: no agent for the stack page to show.
      expect(await trpc(server(), "software.agents", { stack: stack.id })).toEqual([]);
      expect(await volumeOf()).toMatchObject({ status: "in-use", attachments: [expect.objectContaining({ server_id: vm, device: "/dev/vda" })] });

      await deleted(stack.id);
      await expectServerGone(vm);
      await expect.poll(async () => (await volumeOf()).status, { timeout: 60_000 }).toBe("available");
    } finally {
      await member.call("volumev3", "DELETE", `/volumes/${made}`, { expect: [404] });
    }
  });

  it("changes networks in place: the server keeps its id, the interface of the network dropped is detached and its port deleted, a port given stays, the new network is attached", { timeout: 300_000 }, async () => {
    const template = (first: string) => `
heat_template_version: 2018-08-31
resources:
  net_a: { type: OS::Neutron::Net }
  subnet_a: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net_a }, cidr: 10.61.1.0/24 } }
  net_b: { type: OS::Neutron::Net }
  subnet_b: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net_b }, cidr: 10.61.2.0/24 } }
  port_x: { type: OS::Neutron::Port, depends_on: subnet_a, properties: { network: { get_resource: net_a } } }
  vm:
    type: OS::Nova::Server
    depends_on: [subnet_a, subnet_b]
    properties:
      image: ${fx.image}
      flavor: ${fx.flavor}
      networks: [{ network: { get_resource: ${first} } }, { port: { get_resource: port_x } }]
outputs:
  networks: { value: { get_attr: [vm, networks] } }
`;
    const stack = await created("nova-networks", template("net_a"));
    expect(stack.stackStatus, stack.statusReason).toBe("CREATE_COMPLETE");
    const vm = await physicalId(stack.id, "vm");
    const [netA, netB, portX] = [await physicalId(stack.id, "net_a"), await physicalId(stack.id, "net_b"), await physicalId(stack.id, "port_x")];
    const interfaces = async () => ((await admin.call("compute", "GET", `/servers/${vm}/os-interface`)).body as { interfaceAttachments: { port_id: string; net_id: string }[] }).interfaceAttachments;
    const before = await interfaces();
    expect(before.map((i) => i.net_id).sort()).toEqual([netA, netA]);
    const madeByNova = before.find((i) => i.port_id !== portX)!.port_id;

    await trpc(server(), "stacks.update", { stack: stack.id, template: template("net_b") }, "mutation");
    const show = () => trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id });
    await expect.poll(async () => (await show()).stackStatus, { timeout: 120_000 }).toMatch(/^UPDATE_(COMPLETE|FAILED)$/);
    expect((await show()).stackStatus, (await show()).statusReason).toBe("UPDATE_COMPLETE");
    expect(await physicalId(stack.id, "vm")).toBe(vm);
    const after = await interfaces();
    expect(after.map((i) => i.net_id).sort()).toEqual([netA, netB].sort());
    expect(after.map((i) => i.port_id)).toContain(portX);
    expect((await admin.call("network", "GET", `/v2.0/ports/${madeByNova}`, { expect: [404] })).status).toBe(404);
    const outputs = Object.fromEntries((await trpc<{ outputKey: string; outputValue: unknown }[]>(server(), "outputs.list", { stack: stack.id })).map((o) => [o.outputKey, o.outputValue]));
    expect((outputs.networks as Record<string, string[]>)[netB]).toEqual([expect.stringMatching(/^10\.61\.2\.\d+$/)]);
    await deleted(stack.id);
  });

  it("refuses block devices Heat refuses: nothing to boot from, two boot sources, two sources in one entry", { timeout: 120_000 }, async () => {
    const vm = (bdm: string, image = "") => `
heat_template_version: 2018-08-31
resources:
  vm:
    type: OS::Nova::Server
    properties: { ${image}flavor: ${fx.flavor}, networks: [{ allocate_network: none }], block_device_mapping_v2: ${bdm} }
`;
    // A volume that exists: the volume constraint lets it through, so Kiln's own checks are what refuse.
    const member = new KeystoneSession(memberCredentials());
    const volume = ((await member.call("volumev3", "POST", "/volumes", { body: { volume: { size: 1, name: "kiln-test-bdm-checks" } } })).body as { volume: { id: string } }).volume.id;
    try {
      const cases: [string, string][] = [
        [vm("[{ swap_size: 64 }]"), "StackValidationFailed: resources.vm: Neither image nor bootable volume is specified for instance vm"],
        [vm(`[{ volume_id: ${volume} }]`, `image: ${fx.image}, `), "StackValidationFailed: resources.vm: Multiple bootable sources for instance vm."],
        [vm(`[{ volume_id: ${volume}, swap_size: 64 }]`), "ResourcePropertyConflict: resources.vm: Cannot define the following properties at the same time: volume_id, swap_size (in one block_device_mapping_v2 entry)"],
      ];
      for (const [i, [template, reason]] of cases.entries()) {
        const stack = await created(`bad-bdm-${i}`, template);
        expect(stack.statusReason).toBe(`Resource CREATE failed: ${reason}`);
        await deleted(stack.id);
      }
    } finally {
      await member.call("volumev3", "DELETE", `/volumes/${volume}`, { expect: [404] });
    }
  });

  it("boots servers whose user_data carries Heat's os-collect-config settings; Kiln's agent and Heat's own agents started from them complete their deployments", { timeout: 300_000 }, async () => {
    const heatAgentsHome = heatAgentsDir();
    const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "nova-software", template: template() }, "mutation");
    const show = () => trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id });
    const resource = (name: string) => trpc<{ physicalId: string; resourceStatus: string; statusReason: string }>(server(), "resources.show", { stack: stack.id, resource: name });
    const booted = async (name: string) => {
      await expect.poll(async () => (await resource(name)).resourceStatus, { timeout: 120_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
      const shown = await resource(name);
      expect(shown.resourceStatus, shown.statusReason).toBe("CREATE_COMPLETE");
      return shown.physicalId;
    };

    const settings: Record<string, { collectors: string[]; request: { metadata_url: string } }> = {};
    for (const name of ["kiln_vm", "heat_vm"]) {
      const parts = await userDataParts(await booted(name));
      // Heat's layout: cloud-config, a part handler for the cfn-init-data, the template's user_data, the metadata.
      expect(parts.map((p) => [p.type, p.filename])).toEqual([
        ["text/cloud-config", "cloud-config"],
        ["text/part-handler", "part-handler.py"],
        ...(name === "kiln_vm" ? [["text/plain", null]] : []),
        ["text/x-cfninitdata", "cfn-init-data"],
      ]);
      if (name === "kiln_vm") expect(parts[2]!.content).toBe("#!/bin/sh\necho booted");
      const metadata = JSON.parse(parts.at(-1)!.content) as { deployments: unknown[]; "os-collect-config": (typeof settings)[string] };
      expect(metadata.deployments).toEqual([]);
      settings[name] = metadata["os-collect-config"];
      expect(settings[name].collectors).toEqual(["ec2", "request", "local"]);
      expect(settings[name].request.metadata_url).toMatch(new RegExp(`^${server().url}/api/servers/[0-9a-f-]{36}/metadata/[A-Za-z0-9_-]{43}$`));
    }
    // Nothing has reported yet: the deployments wait.
    expect((await show()).stackStatus).toBe("CREATE_IN_PROGRESS");

    // (a) Kiln's agent, its server and credential taken from the metadata URL.
    const [, serverKey, credential] = /\/api\/servers\/([^/]+)\/metadata\/([^/]+)$/.exec(settings.kiln_vm!.request.metadata_url)!;
    // The stack page shows both servers' agents (none connected yet), and gives members the
    // command for each, naming the server by Nova's id, with the credential its user_data carries.
    const shownAgents = await trpc<{ resourceName: string; serverId: string; agent: unknown }[]>(server(), "software.agents", { stack: stack.id });
    expect(shownAgents.map((a) => [a.resourceName, a.serverId, a.agent]).sort()).toEqual([
      ["heat_vm", (await resource("heat_vm")).physicalId, null],
      ["kiln_vm", (await resource("kiln_vm")).physicalId, null],
    ]);
    const commands = await trpc<{ resourceName: string; serverId: string; credential: string }[]>(server(), "software.agentCommands", { stack: stack.id });
    expect(commands.find((c) => c.resourceName === "kiln_vm")).toMatchObject({ serverId: (await resource("kiln_vm")).physicalId, credential });
    agents.push(startAgent({ url: server().url, serverId: serverKey!, credential: credential!, stateDir: path.join(work, "kiln-agent") }));
    // (b) os-collect-config polling the metadata URL, heat-config running the script, heat-config-notify signalling.
    const heatDir = path.join(work, "heat-agent");
    fs.mkdirSync(heatDir, { recursive: true });
    fs.writeFileSync(path.join(heatDir, "os-collect-config.conf"), `[DEFAULT]\nbackup_cachedir = ${path.join(heatDir, "backup-cache")}\n`);
    const log = fs.openSync(path.join(work, "heat-agent.log"), "w");
    heatAgents.push(
      spawn(path.join(heatAgentsHome, "run-agent.sh"), [heatDir, settings.heat_vm!.request.metadata_url], { env: { ...process.env, POLL: "1", HOME: heatDir }, stdio: ["ignore", log, log], detached: true }),
    );

    try {
      await expect.poll(async () => (await show()).stackStatus, { timeout: 120_000 }).toBe("CREATE_COMPLETE");
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- kiln agent\n${agents[0]!.log().slice(-3000)}\n--- heat agents\n${fs.readFileSync(path.join(work, "heat-agent.log"), "utf8").slice(-3000)}\n--- kiln\n${server().log().slice(-3000)}`);
    }
    const outputs = Object.fromEntries((await trpc<{ outputKey: string; outputValue: unknown }[]>(server(), "outputs.list", { stack: stack.id })).map((o) => [o.outputKey, o.outputValue]));
    expect(outputs).toMatchObject({ kiln: "hello kiln", heat: "hello heat" });
    expect(String(outputs.kiln_stdout)).toContain("greeting kiln");

    // The URL names the server by its resource id (Nova had not chosen one yet); Kiln maps it to
    // Nova's, and the stack page sees the agent connected under it.
    const kilnVm = (await resource("kiln_vm")).physicalId;
    expect(serverKey).not.toBe(kilnVm);
    const connected = await trpc<{ resourceName: string; agent: { connected: boolean } | null }[]>(server(), "software.agents", { stack: stack.id });
    expect(connected.find((a) => a.resourceName === "kiln_vm")?.agent).toMatchObject({ connected: true, transport: "websocket" });

    await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
    await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 120_000 }).toBe(false);
    // Deleting the server revokes its credential: its agent is told so and stops.
    expect(await agents[0]!.exited, agents[0]!.log()).toBe(3);
    await expectServerGone(kilnVm);
  });

  it("refuses a transport Kiln cannot serve, saying which to use", { timeout: 120_000 }, async () => {
    const stack = await trpc<{ id: string }>(
      server(),
      "stacks.create",
      {
        name: "nova-cfn",
        template: `
heat_template_version: 2018-08-31
resources:
  vm:
    type: OS::Nova::Server
    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ allocate_network: none }], user_data_format: SOFTWARE_CONFIG }
`,
      },
      "mutation",
    );
    const show = () => trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id });
    await expect.poll(async () => (await show()).stackStatus, { timeout: 60_000 }).toBe("CREATE_FAILED");
    expect((await show()).statusReason).toBe(
      "Resource CREATE failed: NotSupported: resources.vm: software_config_transport POLL_SERVER_CFN needs the CloudFormation metadata API, which Kiln does not serve; use POLL_TEMP_URL (Kiln serves the metadata URL, and Kiln's agent starts from it too)",
    );
    await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
  });
});
