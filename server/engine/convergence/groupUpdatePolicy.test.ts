/**
 * A group's update_policy, as Heat 19 applies it (ResourceGroup: the heat-oracle's events; the
 * deployment groups share its code in Heat, and here batchedGroup.ts):
 * batch_create creates the nested stack empty, then adds the members a batch at a time, lowest
 * names first; rolling_update, when resource_def changes, updates them a batch at a time,
 * highest index first, each batch one update of the nested stack; min_in_service adds new
 * members before updating old ones and removes the extra ones last.
 */
import { describe, expect, it } from "vitest";
import type { Notification } from "../ports";
import { testEngine } from "../testing/harness";
import { setInputLimits } from "../limits";
import { stackOutputs } from "./stackOutputs";
import { WorkerDied } from "../testing/memoryQueue";
import { WAIT_KEY } from "./jobs";

const P = "project";

const group = (opts: { count: number; value: string; policy: string; type?: string; attribute?: string }) => `heat_template_version: 2018-08-31
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${opts.count}
      resource_def:
        type: ${opts.type ?? "OS::Heat::Value"}
        properties:
          value: ${opts.value}
    update_policy:
${opts.policy}
outputs:
  values:
    value: {get_attr: [group, ${opts.attribute ?? "value"}]}
`;

const isMember = (n: Notification) => /^\d+$/.test(n.resourceName ?? "");

/** The members' own events (not the stacks'), in order, from notification `after` on. */
function memberEvents(t: ReturnType<typeof testEngine>, rootId: string, after = 0) {
  return t.notifier.events((n) => n.id > after && n.stackId !== rootId && isMember(n));
}

/** How many times the group's nested stack started an update, from notification `after` on. */
function nestedUpdates(t: ReturnType<typeof testEngine>, rootId: string, after = 0) {
  return t.notifier.events((n) => n.id > after && n.stackId !== rootId && !isMember(n)).filter((e) => e.endsWith(" UPDATE_IN_PROGRESS")).length;
}

/** The members each update of the nested stack took through `actions`, in order, from notification `after` on. */
function batchesOf(t: ReturnType<typeof testEngine>, rootId: string, actions: string, after = 0) {
  const out: string[][] = [];
  for (const n of t.notifier.all.filter((n) => n.id > after && n.kind === "event" && n.stackId !== rootId)) {
    if (!isMember(n) && n.status === "IN_PROGRESS") out.push([]);
    else if (isMember(n) && actions.split("|").includes(n.action ?? "") && n.status === "IN_PROGRESS") out.at(-1)!.push(n.resourceName!);
  }
  return out.filter((b) => b.length).map((b) => b.sort());
}

async function values(t: ReturnType<typeof testEngine>, stackId: string) {
  return (await stackOutputs(t.engine.ctx, (await t.stack(stackId))!)).values?.value;
}

/** A group of `count` Values created with `x`, then updated to `y` under `policy`; `seen`: the notifications before the update. */
async function rolled(count: number, policy: string, options?: Parameters<typeof testEngine>[0]) {
  const t = testEngine(options);
  const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count, value: "x", policy }) });
  await t.settle();
  const seen = t.notifier.all.length;
  await t.engine.updateStack(stack.id, { template: group({ count, value: "y", policy }) });
  await t.settle();
  return { t, stack, seen };
}

/** How long, on the engine's clock, three Values updated one at a time with 30 s pauses take to settle. */
async function pausedRollMs(options?: Parameters<typeof testEngine>[0]) {
  const t = testEngine(options);
  const policy = "      rolling_update:\n        max_batch_size: 1\n        pause_time: 30";
  const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 3, value: "x", policy }) });
  await t.settle();
  const before = t.clock.now();
  await t.engine.updateStack(stack.id, { template: group({ count: 3, value: "y", policy }) });
  await t.settle(() => t.notifier.events().includes("g UPDATE_COMPLETE"));
  return t.clock.now() - before;
}

describe("ResourceGroup rolling_update", () => {
  it("updates the members max_batch_size at a time, highest index first, one nested stack update each", async () => {
    const { t, stack, seen } = await rolled(5, "      rolling_update:\n        max_batch_size: 2");
    expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
    expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["3", "4"], ["1", "2"], ["0"]]);
    expect(nestedUpdates(t, stack.id, seen)).toBe(3);
    expect(await values(t, stack.id)).toEqual(["y", "y", "y", "y", "y"]);
  });

  it("without it (or when only the count changes) every member changes at once", async () => {
    const { t, stack, seen: before } = await rolled(3, "      {}");
    expect(batchesOf(t, stack.id, "UPDATE", before)).toEqual([["0", "1", "2"]]);
    const policy = "      rolling_update:\n        max_batch_size: 1";
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: group({ count: 5, value: "y", policy }) });
    await t.settle();
    expect(nestedUpdates(t, stack.id, seen)).toBe(1);
    expect(memberEvents(t, stack.id, seen).filter((e) => e.endsWith("CREATE_IN_PROGRESS"))).toHaveLength(2);
  });

  it("with min_in_service, adds a member first, updates the old ones one by one, then removes the extra one", async () => {
    const { t, stack, seen } = await rolled(3, "      rolling_update:\n        max_batch_size: 1\n        min_in_service: 3");
    // Heat 19's order exactly.
    expect(memberEvents(t, stack.id, seen)).toEqual([
      "3 CREATE_IN_PROGRESS",
      "3 CREATE_COMPLETE",
      "2 UPDATE_IN_PROGRESS",
      "2 UPDATE_COMPLETE",
      "1 UPDATE_IN_PROGRESS",
      "1 UPDATE_COMPLETE",
      "0 UPDATE_IN_PROGRESS",
      "0 UPDATE_COMPLETE",
      "3 DELETE_IN_PROGRESS",
      "3 DELETE_COMPLETE",
    ]);
    expect(nestedUpdates(t, stack.id, seen)).toBe(5);
    expect(await values(t, stack.id)).toEqual(["y", "y", "y"]);
  });

  it("every job delivered twice, in any order (a worker that died before acknowledging): the same batches, each member updated once", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      let state = seed;
      const shuffle = () => ((state = (state * 16807) % 2147483647) / 2147483647);
      const { t, stack, seen } = await rolled(5, "      rolling_update:\n        max_batch_size: 2\n        pause_time: 5", { deliveries: 2, shuffle });
      expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
      expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["3", "4"], ["1", "2"], ["0"]]);
      expect(memberEvents(t, stack.id, seen).filter((e) => e.endsWith(" UPDATE_COMPLETE"))).toHaveLength(5);
      expect(await values(t, stack.id)).toEqual(["y", "y", "y", "y", "y"]);
    }
  });

  it("waits pause_time between batches, not after the last", async () => {
    const ms = await pausedRollMs();
    expect(ms).toBeGreaterThanOrEqual(60_000);
    expect(ms).toBeLessThan(90_000);
  });

  it("a batch that fails stops the update; the next update goes on from the members as they are", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 2";
    const members = (value: string, fail: boolean) =>
      group({ count: 4, value, policy, type: "OS::Heat::TestResource", attribute: "output" }).replace(`          value: ${value}`, `          value: ${value}\n          update_replace: false\n          fail: ${fail}`);
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: members("x", false) });
    await t.settle();
    let seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: members("y", true) });
    await t.settle();
    expect((await t.stack(stack.id))?.status).toBe("FAILED");
    // Only the first batch was tried: 0 and 1 were left alone.
    expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["2", "3"]]);
    seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: members("z", false) });
    await t.settle();
    expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
    // 2 and 3 failed, so they are replaced (created again), in the first batch still.
    expect(batchesOf(t, stack.id, "CREATE|UPDATE", seen)).toEqual([["2", "3"], ["0", "1"]]);
    expect(await values(t, stack.id)).toEqual(["z", "z", "z", "z"]);
  });
});

describe("ResourceGroup batch_create", () => {
  it("creates the nested stack empty, then the members max_batch_size at a time, lowest names first", async () => {
    const t = testEngine();
    const policy = "      batch_create:\n        max_batch_size: 2";
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 5, value: "x", policy }) });
    await t.settle();
    expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
    expect(batchesOf(t, stack.id, "CREATE")).toEqual([["0", "1"], ["2", "3"], ["4"]]);
    expect(nestedUpdates(t, stack.id)).toBe(3);
    expect(await values(t, stack.id)).toEqual(["x", "x", "x", "x", "x"]);
  });
});

describe("pauses that outlast the stack's timeout", () => {
  it("are refused before a member changes, as Heat refuses them: a rolling update, and a batched create", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 1\n        pause_time: 1800";
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 3, value: "x", policy }) });
    await t.settle();
    const seen = t.notifier.all.length;
    // 2 pauses of 30 min: the default hour is not enough.
    await t.engine.updateStack(stack.id, { template: group({ count: 3, value: "y", policy }) });
    await t.settle();
    expect(await t.stack(stack.id)).toMatchObject({ status: "FAILED" });
    const [row] = await t.store.findResources(stack.id, "group");
    expect(row!.statusReason).toMatch(/update_policy\.rolling_update: its 2 pauses of 1800 s between batches take 3600 s, at least the stack's timeout of 60 min; lower pause_time, raise max_batch_size or the stack's timeout/);
    expect(memberEvents(t, stack.id, seen)).toEqual([]);
    // With a longer timeout the same update rolls.
    await t.engine.updateStack(stack.id, { template: group({ count: 3, value: "y", policy }), timeoutMins: 61 });
    await t.settle();
    expect(await values(t, stack.id)).toEqual(["y", "y", "y"]);

    const before = t.notifier.all.length;
    const created = await t.engine.createStack({ projectId: P, name: "c", template: group({ count: 3, value: "x", policy: "      batch_create:\n        max_batch_size: 1\n        pause_time: 600" }), timeoutMins: 20 });
    await t.settle();
    expect((await t.store.findResources(created.id, "group"))[0]!.statusReason).toMatch(/update_policy\.batch_create: its 2 pauses of 600 s .* timeout of 20 min/);
    expect(memberEvents(t, created.id, before)).toEqual([]);
  });
});

/** Three deployed servers and a deployment group over them, under `policy`, deploying input `x`. */
const deployments = (x: string, policy: string, servers = "{ c: { get_resource: s1 }, a: { get_resource: s2 }, b: { get_resource: s3 } }") => `heat_template_version: 2018-08-31
resources:
  s1: { type: OS::Heat::DeployedServer }
  s2: { type: OS::Heat::DeployedServer }
  s3: { type: OS::Heat::DeployedServer }
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "true" }
  deploys:
    type: OS::Heat::SoftwareDeploymentGroup
    update_policy:
${policy}
    properties:
      config: { get_resource: config }
      servers: ${servers}
      input_values: { x: ${x} }
`;

/**
 * Signals every deployment waiting for its server, one round at a time, until none waits:
 * answers the names waiting in each round, as the servers saw them.
 */
async function deployRounds(t: ReturnType<typeof testEngine>) {
  const rounds: string[][] = [];
  for (;;) {
    await t.settleNow();
    const waiting = [...t.store.softwareDeployments.values()].filter((d) => d.status === "IN_PROGRESS");
    if (!waiting.length) return rounds;
    rounds.push(waiting.map((d) => d.resourceName).sort());
    for (const d of waiting) await t.engine.signalDeployment(d.id, { deploy_status_code: 0 });
  }
}

describe("SoftwareDeploymentGroup update_policy", () => {
  it("rolling_update deploys a change max_batch_size servers at a time, the last of the map first", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 2";
    const stack = await t.engine.createStack({ projectId: P, name: "d", template: deployments("1", policy) });
    // Without batch_create, every server at once.
    expect(await deployRounds(t)).toEqual([["a", "b", "c"]]);
    await t.engine.updateStack(stack.id, { template: deployments("2", policy) });
    // The map's order, not the names': c, a, b; b and a first.
    expect(await deployRounds(t)).toEqual([["a", "b"], ["c"]]);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect([...t.store.softwareDeployments.values()].map((d) => d.inputValues.x)).toEqual([2, 2, 2]);
  });

  it("a server added to the map is a change too, rolled like any other (Heat rolls for any property)", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 1";
    const stack = await t.engine.createStack({ projectId: P, name: "d", template: deployments("1", policy, "{ c: { get_resource: s1 } }") });
    await deployRounds(t);
    await t.engine.updateStack(stack.id, { template: deployments("2", policy) });
    // a joins on the new definition with the first batch; then b, then c.
    expect(await deployRounds(t)).toEqual([["a"], ["b"], ["c"]]);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("batch_create deploys to max_batch_size servers at a time, in the map's order", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "d", template: deployments("1", "      batch_create:\n        max_batch_size: 2") });
    expect(await deployRounds(t)).toEqual([["a", "c"], ["b"]]);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("a change to one server's deployment takes the first batch, as Heat's: the others, whose definitions stay, take no place", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 1\n        pause_time: 60";
    const stack = await t.engine.createStack({ projectId: P, name: "d", template: deployments("1", policy) });
    await deployRounds(t);
    // a moves from s2 to s3: only a's definition changes. It is deployed at once, before any
    // pause (b, the last of the map, would otherwise take the first batch with nothing to do).
    await t.engine.updateStack(stack.id, { template: deployments("1", policy, "{ c: { get_resource: s1 }, a: { get_resource: s3 }, b: { get_resource: s3 } }") });
    expect(await deployRounds(t)).toEqual([["a"]]);
    // Heat's batches are counted from the members, so the two left run, with nothing to change.
    await t.settle();
    expect(await deployRounds(t)).toEqual([]);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
  });

  it("a server whose key is renamed in the map is deployed to under its new name, the old name's deployment deleted", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 1";
    const stack = await t.engine.createStack({ projectId: P, name: "renamed", template: deployments("1", policy) });
    await deployRounds(t);
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: deployments("1", policy, "{ c: { get_resource: s1 }, a: { get_resource: s2 }, d: { get_resource: s3 } }") });
    expect(await deployRounds(t)).toEqual([["d"]]);
    expect(await t.stack(stack.id)).toMatchObject({ action: "UPDATE", status: "COMPLETE" });
    const eventsOf = (name: string) => t.notifier.events((n) => n.id > seen && n.resourceName === name);
    expect(eventsOf("b")).toEqual(["b DELETE_IN_PROGRESS", "b DELETE_COMPLETE"]);
    expect(eventsOf("d")).toEqual(["d CREATE_IN_PROGRESS", "d SIGNAL_COMPLETE", "d CREATE_COMPLETE"]);
    expect([...eventsOf("a"), ...eventsOf("c")]).toEqual([]);
    expect([...t.store.softwareDeployments.values()].map((d) => d.resourceName).sort()).toEqual(["a", "c", "d"]);
  });

  it("a group an earlier Kiln stored, keeping no members, rolls the deployments it has rather than making them again", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 1";
    const stack = await t.engine.createStack({ projectId: P, name: "d", template: deployments("1", "      {}") });
    await deployRounds(t);
    const [group] = await t.store.findResources(stack.id, "deploys");
    await t.store.updateResource(group!.id, { data: {} });
    const ids = [...t.store.softwareDeployments.keys()].sort();
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: deployments("2", policy) });
    expect(await deployRounds(t)).toEqual([["b"], ["a"], ["c"]]);
    expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    expect(t.notifier.events((n) => n.id > seen && n.action === "DELETE")).toEqual([]);
    expect([...t.store.softwareDeployments.keys()].sort()).toEqual(ids);
  });

  it("a roll whose old and new definitions are too large to keep is refused before the server is touched", async () => {
    // Reached under a value limit an operator lowered (KILN_MAX_VALUE_BYTES): at the default,
    // Heat's 512 KB nested template keeps both definitions within 1 MB.
    setInputLimits({ maxValueBytes: 600 * 1024 });
    try {
      const t = testEngine();
      const policy = "      rolling_update:\n        max_batch_size: 1";
      const template = deployments("{ get_file: big.txt }", policy, "{ c: { get_resource: s1 } }");
      const input = (c: string) => ({ "big.txt": c.repeat(400 * 1024) });
      const stack = await t.engine.createStack({ projectId: P, name: "d", template, files: input("a") });
      expect(await deployRounds(t)).toEqual([["c"]]);
      await t.engine.updateStack(stack.id, { template, files: input("b") });
      expect(await deployRounds(t)).toEqual([]);
      const [group] = await t.store.findResources(stack.id, "deploys");
      expect(group).toMatchObject({ action: "UPDATE", status: "FAILED" });
      expect(group!.statusReason).toMatch(
        /update_policy\.rolling_update: what the group keeps while it goes a batch at a time \(its members' old and new definitions\) is over 600 KB; at most 600 KB is allowed; pass less in the group's properties, or change it without rolling_update/,
      );
      expect([...t.store.softwareDeployments.values()].map((d) => String(d.inputValues.x)[0])).toEqual(["a"]);
      // Without the policy, the same change is deployed at once.
      const direct = deployments("{ get_file: big.txt }", "      {}", "{ c: { get_resource: s1 } }");
      await t.engine.updateStack(stack.id, { template: direct, files: input("b") });
      expect(await deployRounds(t)).toEqual([["c"]]);
      expect(await t.stack(stack.id)).toMatchObject({ status: "COMPLETE" });
    } finally {
      setInputLimits({});
    }
  });

  it("takes no min_in_service, as Heat's does not", async () => {
    const t = testEngine();
    await expect(t.engine.createStack({ projectId: P, name: "d", template: deployments("1", "      rolling_update:\n        min_in_service: 1") })).rejects.toThrow(
      /resources\.deploys\.update_policy\.rolling_update\.min_in_service \(\d+:\d+\): unknown key "min_in_service"/,
    );
  });
});

describe("update_policy validation", () => {
  const validate = (policy: string) => testEngine().engine.createStack({ projectId: P, name: "g", template: group({ count: 2, value: "x", policy }) });

  it("refuses what ResourceGroup's update_policy does not allow, saying where and what is allowed", async () => {
    await expect(validate("      rolling_update:\n        max_batch_size: 0")).rejects.toThrow(/resources\.group\.update_policy\.rolling_update\.max_batch_size \(13:9\): 0 is out of range: the value must be at least 1/);
    await expect(validate("      rolling_updates: {}")).rejects.toThrow(/resources\.group\.update_policy\.rolling_updates \(\d+:\d+\): unknown key "rolling_updates"; did you mean "rolling_update"\?.*batch_create, rolling_update/);
    await expect(validate("      rolling_update:\n        pause: 3")).rejects.toThrow(/resources\.group\.update_policy\.rolling_update\.pause \(\d+:\d+\): unknown key "pause"/);
  });

  it("a type without an update_policy of its own ignores it, as Heat does", async () => {
    const t = testEngine();
    const template = "heat_template_version: 2018-08-31\nresources:\n  v:\n    type: OS::Heat::Value\n    properties: {value: x}\n    update_policy: {anything: 1}\n";
    const stack = await t.engine.createStack({ projectId: P, name: "v", template });
    await t.settle();
    expect((await t.stack(stack.id))?.status).toBe("COMPLETE");
  });
});

describe("a batched change survives retries, crashes and double wakes", () => {
  const rolling = (extra = "") => `      rolling_update:\n        max_batch_size: 1${extra}`;

  it("a roll cut short (the stack timed out) and then retried with the same template rolls the rest, as Heat does", async () => {
    const t = testEngine();
    // Pauses of 3 × 10 s fit the minute; members taking 30 s each to update do not.
    const policy = rolling("\n        pause_time: 10");
    const slow = (value: string) => group({ count: 4, value: `${value}\n          action_wait_secs: { update: 30 }`, policy, type: "OS::Heat::TestResource", attribute: "output" });
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: slow("x") });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: slow("y"), timeoutMins: 1 });
    await t.settle();
    expect((await t.stack(stack.id))?.statusReason).toMatch(/Timed out/);
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: slow("y"), timeoutMins: 60 });
    await t.settle();
    expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["1"], ["0"]]);
    expect(await values(t, stack.id)).toEqual(["y", "y", "y", "y"]);
  });

  it("the stack timing out the moment a pause ends stops the roll there: the wake that raced it starts no batch after its own", async () => {
    const t = testEngine();
    // 20 s, a 10 s pause, 20 s, a 10 s pause ending as the minute does.
    const policy = rolling("\n        pause_time: 10");
    const slow = (value: string) => group({ count: 4, value: `${value}\n          action_wait_secs: { update: 20 }`, policy, type: "OS::Heat::TestResource", attribute: "output" });
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: slow("x") });
    await t.settle();
    const seen = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: slow("y"), timeoutMins: 1 });
    await t.settle();
    // The wake had started the next batch when the timeout released the group: that batch's
    // member is updated (a nested stack goes on with what it was given); the wake stores no
    // wait over the timeout's release, so no batch follows.
    expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["3"], ["2"], ["1"]]);
    const after = t.notifier.events((n) => n.id > seen && n.resourceName === "group");
    expect(after).toEqual(["group UPDATE_IN_PROGRESS", "group UPDATE_FAILED"]);
    expect((await t.store.findResources(stack.id, "group"))[0]).toMatchObject({ status: "FAILED", lockTraversal: null });
    expect((await t.stack(stack.id))?.status).toBe("FAILED");
    // The next update rolls what is left.
    const retried = t.notifier.all.length;
    await t.engine.updateStack(stack.id, { template: slow("y"), timeoutMins: 60 });
    await t.settle();
    expect(batchesOf(t, stack.id, "UPDATE", retried)).toEqual([["0"]]);
    expect(await values(t, stack.id)).toEqual(["y", "y", "y", "y"]);
  });

  it("a worker dying after a batch started, before its wait was stored: the batches stay as they were", async () => {
    const t = testEngine();
    const policy = "      rolling_update:\n        max_batch_size: 2";
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 5, value: "x", policy }) });
    await t.settle();
    const seen = t.notifier.all.length;
    let died = false;
    const original = t.store.updateHeldResource.bind(t.store);
    t.store.updateHeldResource = (async (id: string, traversal: string, patch: { data?: Record<string, unknown> }) => {
      if (!died && patch?.data?.[WAIT_KEY] && patch.data.batched) { died = true; throw new WorkerDied(); }
      return original(id, traversal, patch);
    }) as typeof t.store.updateHeldResource;
    await t.engine.updateStack(stack.id, { template: group({ count: 5, value: "y", policy }) });
    await t.settle();
    expect(died).toBe(true);
    expect(batchesOf(t, stack.id, "UPDATE", seen)).toEqual([["3", "4"], ["1", "2"], ["0"]]);
  });

  it("a wake delivered twice does not cut pause_time short", async () => {
    expect(await pausedRollMs({ deliveries: 2 })).toBeGreaterThanOrEqual(60_000);
  });

  it("batch_create pauses between batches, not after creating the nested stack empty", async () => {
    const t = testEngine();
    const before = t.clock.now();
    await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 3, value: "x", policy: "      batch_create:\n        max_batch_size: 1\n        pause_time: 30" }) });
    await t.settle(() => t.notifier.events().includes("g CREATE_COMPLETE"));
    expect(t.clock.now() - before).toBe(60_000);
  });

  it("members of a provider template the update no longer sends keep it until their batch (Heat merges the old files in)", async () => {
    const t = testEngine();
    const member = `heat_template_version: 2018-08-31\nparameters:\n  value: {type: string}\nresources:\n  v:\n    type: OS::Heat::Value\n    properties: {value: {get_param: value}}\noutputs:\n  value: {value: {get_attr: [v, value]}}\n`;
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 2, value: "x", policy: rolling(), type: "m1.yaml" }), files: { "m1.yaml": member } });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: group({ count: 2, value: "x", policy: rolling(), type: "m2.yaml" }), files: { "m2.yaml": member } });
    await t.settle();
    expect((await t.stack(stack.id))?.statusReason).toBe("Stack UPDATE completed successfully"); // got: "m1.yaml" is not among the submitted files
  });

  it("a finished roll keeps only what the members are made from", async () => {
    const t = testEngine();
    const stack = await t.engine.createStack({ projectId: P, name: "g", template: group({ count: 3, value: "x", policy: rolling() }) });
    await t.settle();
    await t.engine.updateStack(stack.id, { template: group({ count: 3, value: "y", policy: rolling() }) });
    await t.settle();
    const row = (await t.store.listResources(stack.id)).find((r) => r.name === "group")!;
    expect(row.data.batched).toBeUndefined();
    expect(row.data.source).toMatchObject({ def: { properties: { value: "y" } } });
  });
});
