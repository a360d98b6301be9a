import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";
import type { SoftwareDeploymentRecord } from "../ports";

const P = "project";

const template = (opts: { input?: string; transport?: string; actions?: string; config?: string } = {}) => `
heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Heat::DeployedServer
    properties:
      software_config_transport: POLL_TEMP_URL
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: ${JSON.stringify(opts.config ?? "echo $foo")}
      inputs: [{name: foo}, {name: count, type: Number, default: 3}]
      outputs: [{name: result}, {name: problem, error_output: true}]
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      signal_transport: ${opts.transport ?? "TEMP_URL_SIGNAL"}
      input_values: {foo: ${opts.input ?? "one"}, extra: x}
      ${opts.actions ? `actions: ${opts.actions}` : ""}
outputs:
  result: {value: {get_attr: [deploy, result]}}
  stdout: {value: {get_attr: [deploy, deploy_stdout]}}
  code: {value: {get_attr: [deploy, deploy_status_code]}}
`;

async function deployed(t: ReturnType<typeof testEngine>, stackId: string): Promise<SoftwareDeploymentRecord> {
  const row = (await t.store.findResources(stackId, "deploy")).find((r) => !r.replacedBy)!;
  return (await t.store.getDeployment(row.physicalId!))!;
}

const inputsOf = async (t: ReturnType<typeof testEngine>, d: SoftwareDeploymentRecord) =>
  Object.fromEntries((await t.store.getConfig(d.configId))!.config.inputs.map((i) => [i.name, i.value]));

describe("software deployments", () => {
  it("waits for the server's signal, then shows its outputs as attributes", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    expect(await t.resources(stack.id)).toMatchObject({ server: "CREATE_COMPLETE", config: "CREATE_COMPLETE", deploy: "CREATE_IN_PROGRESS" });
    const d = await deployed(t, stack.id);
    expect(d).toMatchObject({ status: "IN_PROGRESS", statusReason: "Deploy data available", action: "CREATE" });
    const server = (await t.store.findResources(stack.id, "server"))[0]!;
    expect(d.serverId).toBe(server.physicalId);
    const inputs = await inputsOf(t, d);
    expect(inputs).toMatchObject({
      foo: "one",
      count: 3,
      extra: "x",
      deploy_server_id: server.physicalId,
      deploy_action: "CREATE",
      deploy_stack_id: `s/${stack.id}`,
      deploy_resource_name: "deploy",
      deploy_signal_transport: "TEMP_URL_SIGNAL",
      deploy_signal_verb: "PUT",
    });
    expect(inputs.deploy_signal_id).toBe(`http://kiln.test/api/deployments/${d.id}/signal/${d.signalToken}`);
    expect(t.serverMetadataChanges).toEqual([server.physicalId]);

    await t.engine.signalDeployment(d.id, { deploy_stdout: "done", deploy_stderr: "", deploy_status_code: 0, result: "42", ignored: 1 });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.result!.value).toBe("42");
    expect(outputs.stdout!.value).toBe("done");
    expect(outputs.code!.value).toBe(0);
    expect(t.notifier.all.filter((n) => n.action === "SIGNAL").map((n) => [n.resourceName, n.status, n.reason])).toEqual([["deploy", "COMPLETE", `Signal: deployment ${d.id} succeeded`]]);
  });

  it("a non-zero status code fails the deployment with Heat's reason and the script's stderr", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    await t.engine.signalDeployment(d.id, { deploy_stdout: "", deploy_stderr: "disk full", deploy_status_code: 3 });
    await t.settleNow();
    const row = (await t.store.findResources(stack.id, "deploy"))[0]!;
    expect(row.status).toBe("FAILED");
    expect(row.statusReason).toBe(
      "Error: resources.deploy: Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 3 (deploy_stderr: disk full)",
    );
    expect((await t.stack(stack.id))!.statusReason).toContain("Resource CREATE failed: Error: resources.deploy: Deployment to server failed");
    expect(row.attributes.deploy_stderr).toBe("disk full");
  });

  it("a value in an error_output output fails it, naming the output", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    await t.engine.signalDeployment(d.id, { deploy_status_code: 0, problem: "no network" });
    await t.settleNow();
    expect((await t.store.findResources(stack.id, "deploy"))[0]!.statusReason).toBe("Error: resources.deploy: Deployment to server failed: problem : no network");
  });

  it("a signal repeated after the deployment finished is acknowledged and changes nothing", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    expect(await t.engine.signalDeployment(d.id, { deploy_status_code: 0, result: "first" })).toEqual({ status: "COMPLETE" });
    expect(await t.engine.signalDeployment(d.id, { deploy_status_code: 1, result: "second" })).toEqual({ status: "COMPLETE" });
    await t.settleNow();
    expect((await deployed(t, stack.id)).outputValues.result).toBe("first");
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("a signal that is not a JSON object is refused and changes nothing", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    await expect(t.engine.signalDeployment(d.id, [1, 2])).rejects.toThrow(/JSON object/);
    expect((await deployed(t, stack.id)).status).toBe("IN_PROGRESS");
  });

  it("NO_SIGNAL completes at once, as Heat", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ transport: "NO_SIGNAL" }) });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const d = await deployed(t, stack.id);
    expect(d).toMatchObject({ status: "COMPLETE", statusReason: "Not waiting for outputs signal" });
    const inputs = await inputsOf(t, d);
    expect(inputs).not.toHaveProperty("deploy_signal_id");
  });

  it("CFN_SIGNAL hands the server a URL to POST to", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ transport: "CFN_SIGNAL" }) });
    await t.settleNow();
    const inputs = await inputsOf(t, await deployed(t, stack.id));
    expect(inputs.deploy_signal_verb).toBe("POST");
  });

  it("an action not listed completes at once without deploying", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ actions: "[UPDATE]" }) });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(t.store.softwareDeployments.size).toBe(0);
  });

  it("a changed input re-deploys under a new config id, keeping the deployment id", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const first = await deployed(t, stack.id);
    await t.engine.signalDeployment(first.id, { deploy_status_code: 0 });
    await t.settleNow();
    await t.engine.updateStack(stack.id, { template: template({ input: "two" }) });
    await t.settleNow();
    const second = await deployed(t, stack.id);
    expect(second.id).toBe(first.id);
    expect(second.configId).not.toBe(first.configId);
    expect(second).toMatchObject({ action: "UPDATE", status: "IN_PROGRESS" });
    expect(await inputsOf(t, second)).toMatchObject({ foo: "two", deploy_action: "UPDATE" });
    expect(await t.store.getConfig(first.configId)).toBeUndefined();
    await t.engine.signalDeployment(second.id, { deploy_status_code: 0 });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
  });

  it("a changed config replaces the config, and the deployment re-deploys it", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ transport: "NO_SIGNAL" }) });
    await t.settleNow();
    const configBefore = (await t.store.findResources(stack.id, "config"))[0]!.physicalId;
    await t.engine.updateStack(stack.id, { template: template({ transport: "NO_SIGNAL", config: "echo changed" }) });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const configAfter = (await t.store.findResources(stack.id, "config"))[0]!.physicalId;
    expect(configAfter).not.toBe(configBefore);
    expect(await t.store.getConfig(configBefore!)).toBeUndefined();
    const d = await deployed(t, stack.id);
    expect((await t.store.getConfig(d.configId))!.config.config).toBe("echo changed");
  });

  it("a DELETE action runs on delete and waits for the server", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ actions: "[CREATE, DELETE]" }) });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    await t.engine.signalDeployment(d.id, { deploy_status_code: 0 });
    await t.settleNow();
    await t.engine.deleteStack(stack.id);
    await t.settleNow();
    const deleting = (await t.store.getDeployment(d.id))!;
    expect(deleting).toMatchObject({ action: "DELETE", status: "IN_PROGRESS" });
    expect(await inputsOf(t, deleting)).toMatchObject({ deploy_action: "DELETE" });
    await t.engine.signalDeployment(d.id, { deploy_status_code: 0 });
    await t.settleNow();
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.softwareDeployments.size).toBe(0);
    expect(t.store.softwareConfigs.size).toBe(0);
  });

  it("without a DELETE action, deleting forgets the deployment at once and tells the server", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ transport: "NO_SIGNAL" }) });
    await t.settleNow();
    const serverId = (await t.store.findResources(stack.id, "server"))[0]!.physicalId!;
    await t.engine.deleteStack(stack.id);
    await t.settleNow();
    expect(await t.stack(stack.id)).toBeUndefined();
    expect(t.store.softwareDeployments.size).toBe(0);
    // Created, deleted, then the server itself deleted.
    expect(t.serverMetadataChanges).toEqual([serverId, serverId, serverId]);
  });

  it("a changed server replaces the deployment", async () => {
    const t = testEngine();
    const two = template({ transport: "NO_SIGNAL" }).replace("server: {get_resource: server}", "server: {get_resource: other}").replace(
      "  config:\n",
      "  other:\n    type: OS::Heat::DeployedServer\n  config:\n",
    );
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template({ transport: "NO_SIGNAL" }) });
    await t.settleNow();
    const before = (await t.store.findResources(stack.id, "deploy"))[0]!.physicalId;
    await t.engine.updateStack(stack.id, { template: two });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const after = await deployed(t, stack.id);
    expect(after.id).not.toBe(before);
    expect(after.serverId).toBe((await t.store.findResources(stack.id, "other"))[0]!.physicalId);
    expect(await t.store.getDeployment(before!)).toBeUndefined();
  });
});

describe("structured deployments", () => {
  it("substitute get_input in the config with the input values (and deploy_* inputs)", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({
      projectId: P,
      name: "s",
      template: `
heat_template_version: 2018-08-31
resources:
  config:
    type: OS::Heat::StructuredConfig
    properties:
      group: json-file
      config: {a: {get_input: foo}, b: [{get_input: deploy_action}], c: {get_input: nope}, d: {get_input: foo, x: 1}}
  deploy:
    type: OS::Heat::StructuredDeployment
    properties:
      config: {get_resource: config}
      server: srv
      signal_transport: NO_SIGNAL
      input_values: {foo: bar}
`,
    });
    await t.settleNow();
    const d = await deployed(t, stack.id);
    expect((await t.store.getConfig(d.configId))!.config.config).toEqual({ a: "bar", b: ["CREATE"], c: null, d: { get_input: "foo", x: 1 } });
  });

  it("STRICT fails on an input without a value", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({
      projectId: P,
      name: "s",
      template: `
heat_template_version: 2018-08-31
resources:
  config:
    type: OS::Heat::StructuredConfig
    properties:
      config: {c: {get_input: nope}}
  deploy:
    type: OS::Heat::StructuredDeployment
    properties:
      config: {get_resource: config}
      server: srv
      input_values_validate: STRICT
`,
    });
    await t.settleNow();
    expect((await t.store.findResources(stack.id, "deploy"))[0]!.statusReason).toBe("UserParameterMissing: resources.deploy: The Parameter (nope) was not provided.");
  });
});

describe("deployed servers", () => {
  it("POLL_TEMP_URL points os-collect-config at Kiln's metadata URL with the server's credential", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template() });
    await t.settleNow();
    const server = (await t.store.findResources(stack.id, "server"))[0]!;
    const credential = server.data.credential as string;
    expect(Buffer.from(credential, "base64url")).toHaveLength(32);
    expect(server.attributes.os_collect_config).toEqual({
      collectors: ["request", "local"],
      request: { metadata_url: `http://kiln.test/api/servers/${server.physicalId}/metadata/${credential}` },
    });
  });
});

describe("deployment groups", () => {
  const group = (servers: string) => `
heat_template_version: 2018-08-31
resources:
  a: { type: OS::Heat::DeployedServer }
  b: { type: OS::Heat::DeployedServer }
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "true", outputs: [{ name: result }] }
  deploys:
    type: OS::Heat::SoftwareDeploymentGroup
    properties:
      config: { get_resource: config }
      servers: ${servers}
      input_values: { x: 1 }
outputs:
  stdouts: { value: { get_attr: [deploys, deploy_stdouts] } }
  codes: { value: { get_attr: [deploys, deploy_status_codes] } }
  results: { value: { get_attr: [deploys, result] } }
`;

  it("deploys to each server of the map and answers maps of member name to output", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: group("{ first: { get_resource: a }, second: { get_resource: b } }") });
    await t.settleNow();
    const rows = [...t.store.softwareDeployments.values()];
    expect(rows.map((d) => d.resourceName).sort()).toEqual(["first", "second"]);
    const servers = Object.fromEntries(await Promise.all(["a", "b"].map(async (n) => [n, (await t.store.findResources(stack.id, n))[0]!.physicalId])));
    expect(Object.fromEntries(rows.map((d) => [d.resourceName, d.serverId]))).toEqual({ first: servers.a, second: servers.b });
    for (const d of rows) await t.engine.signalDeployment(d.id, { deploy_stdout: `out-${d.resourceName}`, deploy_status_code: 0, result: d.resourceName.toUpperCase() });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const outputs = await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!);
    expect(outputs.stdouts!.value).toEqual({ first: "out-first", second: "out-second" });
    expect(outputs.codes!.value).toEqual({ first: 0, second: 0 });
    expect(outputs.results!.value).toEqual({ first: "FIRST", second: "SECOND" });
  });

  it("a member that fails fails the group", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: group("{ only: { get_resource: a } }") });
    await t.settleNow();
    const [d] = [...t.store.softwareDeployments.values()];
    await t.engine.signalDeployment(d!.id, { deploy_status_code: 2 });
    await t.settleNow();
    const row = (await t.store.findResources(stack.id, "deploys"))[0]!;
    expect(row.status).toBe("FAILED");
    expect(row.statusReason).toContain("Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 2");
  });
});

describe("inputs marked replace_on_change", () => {
  const template = (value: string, other = "a") => `
heat_template_version: 2018-08-31
resources:
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      config: "true"
      inputs: [{ name: pinned, replace_on_change: true }, { name: free }]
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: { get_resource: config }
      server: srv
      signal_transport: NO_SIGNAL
      input_values: { pinned: ${value}, free: ${other} }
`;

  it("a changed value replaces the deployment; another input's change re-deploys it in place", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template("one") });
    await t.settleNow();
    const first = (await t.store.findResources(stack.id, "deploy"))[0]!.physicalId;
    await t.engine.updateStack(stack.id, { template: template("one", "b") });
    await t.settleNow();
    expect((await t.store.findResources(stack.id, "deploy")).map((r) => r.physicalId)).toEqual([first]);
    await t.engine.updateStack(stack.id, { template: template("two", "b") });
    await t.settleNow();
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    const after = (await t.store.findResources(stack.id, "deploy")).map((r) => r.physicalId);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
    expect(await t.store.getDeployment(first!)).toBeUndefined();
  });
});

describe("a deployment cut short", () => {
  it("fails when the stack times out, as Heat's cancel does, and a later report changes nothing", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "s", template: template(), timeoutMins: 1 });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
    const d = await deployed(t, stack.id);
    expect(d).toMatchObject({ status: "FAILED", statusReason: "Deployment cancelled." });
    expect(await t.engine.signalDeployment(d.id, { deploy_status_code: 0 })).toEqual({ status: "FAILED" });
    expect((await t.store.findResources(stack.id, "deploy"))[0]!.statusReason).toBe("CREATE aborted: the stack timed out");
  });
});
