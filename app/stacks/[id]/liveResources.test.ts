import { describe, expect, it } from "vitest";
import type { Notification } from "../../lib/notifications";
import { countResources, foldCloudState, foldEvent, foldRow, forgetFailures, newResource } from "./liveResources";

let nextId = 0;
const split = (state: string) => [state.slice(0, state.indexOf("_")), state.slice(state.indexOf("_") + 1)];
const event = (state: string, physicalResourceId: string | null, reason = "state changed"): Notification => {
  const [action, status] = split(state);
  nextId++;
  return { id: nextId, stackId: "S", rootStackId: "S", stackPath: "", kind: "event", resourceName: "web", resourceType: "OS::Heat::TestResource", physicalResourceId, action, status, reason, createdAt: new Date(1_000 * nextId).toISOString() };
};
const row = (state: string, physicalId: string | null) => {
  const [action, status] = split(state);
  return { type: "OS::Heat::TestResource", action, status, statusReason: "state changed", physicalId, requires: [], nestedStackId: null, cloudState: null, drift: [] };
};
const fold = (events: Notification[]) => {
  const r = newResource("web", "web", "", "OS::Heat::TestResource");
  for (const n of events) foldEvent(r, n);
  return r;
};

describe("a resource's state on the live view", () => {
  it("after a replacing update it is the new copy's, not the deletion of the copy it replaced", () => {
    const r = fold([
      event("CREATE_IN_PROGRESS", null),
      event("CREATE_COMPLETE", "web-1"),
      // The update: the new copy is created, then the old one (web-1) deleted.
      event("CREATE_IN_PROGRESS", null),
      event("CREATE_COMPLETE", "web-2"),
      event("DELETE_IN_PROGRESS", "web-1"),
      event("DELETE_COMPLETE", "web-1"),
    ]);
    expect(r).toMatchObject({ action: "CREATE", status: "COMPLETE", physicalId: "web-2" });
    expect(r.spans.map((s) => `${s.action}_${s.status}`)).toEqual(["CREATE_COMPLETE", "CREATE_COMPLETE"]);
  });

  it("after a failed replacement is rolled back it is the original copy's, not the deletion of the failed one", () => {
    const r = fold([
      event("CREATE_COMPLETE", "web-1"),
      event("UPDATE_IN_PROGRESS", "web-1"),
      event("UPDATE_COMPLETE", "web-1", "Requires replacement: value cannot be updated in place"),
      // The new copy fails before it has a physical id; the rollback deletes it and keeps web-1.
      event("CREATE_IN_PROGRESS", null),
      event("CREATE_FAILED", null, "boom"),
      event("DELETE_IN_PROGRESS", null),
      event("DELETE_COMPLETE", null),
    ]);
    expect(r).toMatchObject({ physicalId: "web-1", failure: { action: "CREATE", reason: "boom" } });
    expect(r.spans.map((s) => `${s.action}_${s.status}`)).toEqual(["CREATE_COMPLETE", "UPDATE_COMPLETE", "CREATE_FAILED"]);
  });

  it("a resource deleted as it is (removed from the template, rolled back) shows its deletion", () => {
    const r = fold([event("CREATE_IN_PROGRESS", null), event("CREATE_COMPLETE", "web-1"), event("DELETE_IN_PROGRESS", "web-1"), event("DELETE_COMPLETE", "web-1")]);
    expect(r).toMatchObject({ action: "DELETE", status: "COMPLETE" });
  });

  it("takes the current row read after its last event, and keeps an event newer than the read", () => {
    const r = fold([event("CREATE_COMPLETE", "web-1"), event("DELETE_COMPLETE", "web-0")]);
    foldRow(r, row("UPDATE_COMPLETE", "web-1"), r.lastEventId);
    expect(r).toMatchObject({ action: "UPDATE", status: "COMPLETE", physicalId: "web-1" });
    foldEvent(r, event("UPDATE_IN_PROGRESS", "web-1"));
    foldRow(r, row("UPDATE_COMPLETE", "web-1"), r.lastEventId - 1);
    expect(r).toMatchObject({ action: "UPDATE", status: "IN_PROGRESS" });
  });

  it("keeps its failure after a rollback moves it on, until the stack's next operation", () => {
    const r = fold([event("UPDATE_IN_PROGRESS", "web-1"), event("UPDATE_FAILED", "web-1", "boom"), event("UPDATE_IN_PROGRESS", "web-1"), event("UPDATE_COMPLETE", "web-1")]);
    expect(r).toMatchObject({ action: "UPDATE", status: "COMPLETE", failure: { action: "UPDATE", reason: "boom" } });
    expect(r.spans.map((s) => s.status)).toEqual(["FAILED", "COMPLETE"]);
    forgetFailures([r]);
    expect(r.failure).toBeUndefined();
  });

  it("shows each cloud state pushed, and a row read before the latest one does not take it back", () => {
    const r = fold([event("CREATE_IN_PROGRESS", null)]);
    foldCloudState(r, { ...event("CREATE_IN_PROGRESS", "vm-1"), kind: "progress", status: "BUILD" });
    expect(r.cloudState).toBe("BUILD");
    expect(r.status).toBe("IN_PROGRESS");
    foldCloudState(r, { ...event("CREATE_IN_PROGRESS", "vm-1"), kind: "progress", status: "ACTIVE" });
    foldRow(r, { ...row("CREATE_IN_PROGRESS", "vm-1"), cloudState: "BUILD" }, r.lastEventId - 1);
    expect(r.cloudState).toBe("ACTIVE");
    foldRow(r, { ...row("CHECK_COMPLETE", "vm-1"), cloudState: "ACTIVE", drift: ["name is 'b' in the cloud, Kiln applied 'a'"] }, r.lastEventId);
    expect(r).toMatchObject({ action: "CHECK", cloudState: "ACTIVE", drift: ["name is 'b' in the cloud, Kiln applied 'a'"] });
  });
});

describe("the stack page's summary of its resources", () => {
  const at = (name: string, state: string, stackPath = "") => {
    const r = newResource(name, name, stackPath, "OS::Heat::None");
    foldRow(r, { ...row(state, null), type: "OS::Heat::None" }, 0);
    return r;
  };

  it("counts those not started yet apart, so the parts add up to the whole while a create runs", () => {
    const counts = countResources([at("a", "CREATE_COMPLETE"), at("b", "CREATE_COMPLETE"), at("c", "CREATE_IN_PROGRESS"), at("d", "INIT_COMPLETE"), at("e", "INIT_COMPLETE"), at("f", "CREATE_FAILED")]);
    expect(counts).toEqual({ total: 6, complete: 2, progress: 1, failed: 1, notStarted: 2, undone: 0 });
    expect(counts.complete + counts.progress + counts.failed + counts.notStarted).toBe(counts.total);
  });

  it("leaves out a nested stack's resources, and counts a deleted one as neither complete nor not started", () => {
    expect(countResources([at("a", "DELETE_COMPLETE"), at("n", "CREATE_COMPLETE", "group/0")])).toEqual({ total: 1, complete: 0, progress: 0, failed: 0, notStarted: 0, undone: 0 });
  });
});
