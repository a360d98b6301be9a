import { describe, expect, it } from "vitest";
import type { Notification } from "../../lib/notifications";
import { applyAgents, applyNotifications, applyRead, applyTemplateGraph, emptyModel, type LiveStackModel, type ResourceRow, type StackView } from "./liveStackModel";

let nextId = 0;
const at = (id: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, id)).toISOString();
function event(name: string, state: string, more: Partial<Notification> = {}): Notification {
  const [action, status] = [state.slice(0, state.indexOf("_")), state.slice(state.indexOf("_") + 1)];
  const id = ++nextId;
  return { id, stackId: "S", rootStackId: "S", stackPath: "", kind: "event", resourceName: name, resourceType: "OS::Heat::TestResource", physicalResourceId: `${name}-1`, action, status, reason: "state changed", createdAt: at(id), ...more };
}
const stackEvent = (state: string, reason = "") => event("web", state, { resourceType: "OS::Heat::Stack", physicalResourceId: "S", reason });
const row = (name: string, state: string, more: Partial<ResourceRow> = {}) =>
  ({ name, stackPath: "", type: "OS::Heat::TestResource", action: state.split("_")[0], status: state.split("_")[1], statusReason: "", physicalId: `${name}-1`, requires: [], nestedStackId: null, ...more }) as ResourceRow;
const stack = (more: Partial<StackView> = {}) =>
  ({ id: "S", name: "web", stackPath: "", rootStackId: "S", action: "CREATE", status: "COMPLETE", stackStatus: "CREATE_COMPLETE", statusReason: "", ...more }) as StackView;

function loaded(rows: ResourceRow[], s = stack()): LiveStackModel {
  const m = emptyModel(0);
  applyRead(m, s, rows, 0);
  return m;
}
const state = (m: LiveStackModel, key: string) => `${m.resources.get(key)!.action}_${m.resources.get(key)!.status}`;

describe("the stack page's model", () => {
  it("a stack event moves the stack on and asks for a read; a new operation forgets the last one's failures, a rollback keeps them", () => {
    const m = loaded([row("db", "CREATE_COMPLETE")]);
    expect(applyNotifications(m, [event("db", "UPDATE_FAILED", { reason: "boom" })])).toEqual({ refresh: false, agents: false });
    expect(m.resources.get("db")!.failure).toEqual({ action: "UPDATE", reason: "boom" });

    const rollback = applyNotifications(m, [stackEvent("ROLLBACK_IN_PROGRESS")]);
    expect(rollback.refresh).toBe(true);
    expect(m.stack!.stackStatus).toBe("ROLLBACK_IN_PROGRESS");
    expect(m.resources.get("db")!.failure).toBeDefined();

    const update = stackEvent("UPDATE_IN_PROGRESS", "Stack UPDATE started");
    applyNotifications(m, [update]);
    expect(m.stack).toMatchObject({ stackStatus: "UPDATE_IN_PROGRESS", statusReason: "Stack UPDATE started", updatedAt: update.createdAt });
    expect(m.operationStart).toBe(Date.parse(update.createdAt));
    expect(m.resources.get("db")!.failure).toBeUndefined();
  });

  it("an event of a resource it has not read adds that resource and asks for a read; a known one does not", () => {
    const m = loaded([row("db", "CREATE_COMPLETE")]);
    expect(applyNotifications(m, [event("db", "UPDATE_IN_PROGRESS")]).refresh).toBe(false);
    expect(state(m, "db")).toBe("UPDATE_IN_PROGRESS");
    expect(applyNotifications(m, [event("cache", "CREATE_IN_PROGRESS")]).refresh).toBe(true);
    expect(state(m, "cache")).toBe("CREATE_IN_PROGRESS");
    expect(m.streamIds).toEqual(m.notifications.map((n) => n.id));
    expect(m.lastId).toBe(m.notifications.at(-1)!.id);
  });

  it("on a nested stack's page, its own resources are keyed from it and the rest of the tree is not shown", () => {
    const m = loaded([row("member", "CREATE_COMPLETE", { stackPath: "group" })], stack({ name: "web-group", stackPath: "group" }));
    expect([...m.resources.keys()]).toEqual(["member"]);
    applyNotifications(m, [event("member", "UPDATE_IN_PROGRESS", { stackPath: "group" }), event("db", "UPDATE_IN_PROGRESS"), event("x", "CREATE_IN_PROGRESS", { stackPath: "group/inner" })]);
    expect(state(m, "member")).toBe("UPDATE_IN_PROGRESS");
    expect(m.resources.has("db")).toBe(false);
    expect(m.notifications.map((n) => [n.resourceName, n.stackPath])).toEqual([
      ["member", ""],
      ["x", "inner"],
    ]);
    expect(m.resources.has("inner/x")).toBe(true);
  });

  it("a nested stack's own event is in the stream but is not a resource: its parent resource reports the same", () => {
    const m = loaded([row("group", "CREATE_COMPLETE", { type: "OS::Heat::ResourceGroup" })]);
    applyNotifications(m, [event("group", "UPDATE_IN_PROGRESS", { resourceType: "OS::Heat::Stack", stackId: "N", physicalResourceId: "N", stackPath: "group" })]);
    expect(m.notifications).toHaveLength(1);
    expect([...m.resources.keys()]).toEqual(["group"]);
  });

  it("an agent's coming or going (a debug message of its server, DeployedServer or Nova server) asks for the agents to be read again", () => {
    const m = loaded([row("server", "CREATE_COMPLETE", { type: "OS::Heat::DeployedServer" }), row("vm", "CREATE_COMPLETE", { type: "OS::Nova::Server" })]);
    expect(applyNotifications(m, [{ ...event("server", "CREATE_COMPLETE"), kind: "debug", resourceType: "OS::Heat::DeployedServer" }])).toEqual({ refresh: false, agents: true });
    expect(applyNotifications(m, [{ ...event("vm", "CREATE_COMPLETE"), kind: "debug", resourceType: "OS::Nova::Server" }])).toEqual({ refresh: false, agents: true });
  });

  it("debug messages ask for the agents only once the tree has a server that may have one, as read, from the template or heard", () => {
    const debug = () => ({ ...event("db", "CREATE_COMPLETE"), kind: "debug" as const });
    const m = loaded([row("db", "CREATE_COMPLETE")]);
    expect(applyNotifications(m, [debug()]).agents).toBe(false);
    applyNotifications(m, [event("box", "CREATE_IN_PROGRESS", { resourceType: "OS::Heat::DeployedServer" })]);
    expect(applyNotifications(m, [debug()]).agents).toBe(true);
    // Replaced by a resource of another type: no server is left.
    applyRead(m, stack(), [row("db", "CREATE_COMPLETE"), row("box", "UPDATE_COMPLETE", { type: "OS::Heat::None" })], m.lastId);
    expect(applyNotifications(m, [debug()]).agents).toBe(false);
    applyTemplateGraph(m, { nodes: [{ id: "vm", type: "OS::Nova::Server" }], edges: [] });
    expect(applyNotifications(m, [debug()]).agents).toBe(true);
  });

  it("a Nova server made asks for the agents (it may be a SOFTWARE_CONFIG one); any other resource made does not", () => {
    const m = loaded([row("vm", "CREATE_IN_PROGRESS", { type: "OS::Nova::Server" }), row("db", "CREATE_IN_PROGRESS")]);
    expect(applyNotifications(m, [event("db", "CREATE_COMPLETE")]).agents).toBe(false);
    expect(applyNotifications(m, [event("vm", "CREATE_COMPLETE", { resourceType: "OS::Nova::Server" })]).agents).toBe(true);
  });

  it("the agents' answer names the servers that have an agent to show: only those get one, and one left out loses it", () => {
    const m = loaded([row("vm", "CREATE_COMPLETE", { type: "OS::Nova::Server" }), row("plain", "CREATE_COMPLETE", { type: "OS::Nova::Server" })]);
    const on = { connected: true, transport: "websocket", address: "10.0.0.5", connectedAt: at(1), lastSeenAt: at(2), disconnectedAt: null };
    applyAgents(m, [{ stackPath: "", resourceName: "vm", agent: on }]);
    expect(m.resources.get("vm")!.agent).toEqual(on);
    expect(m.resources.get("plain")!.agent).toBeUndefined();
    applyAgents(m, []);
    expect(m.resources.get("vm")!.agent).toBeUndefined();
  });

  it("edges come from the top-level rows and the template; the template adds resources no row has", () => {
    const m = loaded([row("db", "CREATE_COMPLETE"), row("app", "CREATE_COMPLETE", { requires: ["db"] }), row("m", "CREATE_COMPLETE", { stackPath: "app", requires: ["n"] })]);
    applyTemplateGraph(m, { nodes: [{ id: "db", type: "T" }, { id: "gone", type: "OS::Heat::None" }], edges: [{ from: "gone", to: "app" }] });
    expect([...m.edges].map((e) => e.split("\u0000"))).toEqual([
      ["db", "app"],
      ["gone", "app"],
    ]);
    expect(state(m, "gone")).toBe("INIT_COMPLETE");
    expect(m.resources.get("db")!.type).toBe("OS::Heat::TestResource");
  });
});
