import { describe, expect, it } from "vitest";
import { eventTime, formatNotification, type NotificationLike } from "./eventLog";

const base: NotificationLike = {
  id: 1,
  stackId: "s",
  stackPath: "",
  kind: "event",
  resourceName: "server",
  resourceType: "OS::Heat::TestResource",
  physicalResourceId: "p",
  action: "CREATE",
  status: "IN_PROGRESS",
  reason: "state changed",
  createdAt: "2026-11-25T15:30:01.123Z",
};

describe("event log lines", () => {
  it("print like python-heatclient's", () => {
    expect(formatNotification(base)).toBe("2026-11-25 15:30:01Z [server]: CREATE_IN_PROGRESS  state changed");
  });

  it("prefix a nested stack's resources with the stack path, dotted", () => {
    expect(formatNotification({ ...base, stackPath: "web" })).toBe("2026-11-25 15:30:01Z [web.server]: CREATE_IN_PROGRESS  state changed");
    expect(formatNotification({ ...base, stackPath: "web_group/0" })).toContain("[web_group.0.server]");
  });

  it("show warnings, and leave out debug and progress messages", () => {
    expect(formatNotification({ ...base, kind: "warning", reason: "event_sinks are ignored" })).toBe("WARNING 2026-11-25 15:30:01Z [server]: event_sinks are ignored");
    expect(formatNotification({ ...base, kind: "warning", resourceName: null, reason: "x" })).toBe("WARNING 2026-11-25 15:30:01Z: x");
    expect(formatNotification({ ...base, kind: "debug" })).toBeUndefined();
    expect(formatNotification({ ...base, kind: "progress" })).toBeUndefined();
  });

  it("show the cloud states a resource went through when asked for debug", () => {
    const state = { ...base, kind: "progress" as const, resourceType: "OS::Nova::Server", action: "CREATE", status: "BUILD", reason: "the cloud says BUILD" };
    expect(formatNotification(state, { debug: true })).toBe("CLOUD 2026-11-25 15:30:01Z [server]: CREATE BUILD");
  });

  it("show the lines a deployment's script prints, live from Kiln's agent", () => {
    const line = { ...base, kind: "debug" as const, resourceName: "install", resourceType: "OS::Heat::SoftwareDeployment", action: null, status: null, reason: "stdout: installing nginx" };
    expect(formatNotification(line)).toBe("2026-11-25 15:30:01Z [install] stdout: installing nginx");
    expect(formatNotification({ ...line, reason: "agent connected" })).toBeUndefined();
  });

  it("leave no trailing space when there is no reason", () => {
    expect(formatNotification({ ...base, reason: "" })).toBe("2026-11-25 15:30:01Z [server]: CREATE_IN_PROGRESS");
  });

  it("keep a time they cannot read as it is", () => {
    expect(eventTime("yesterday")).toBe("yesterday");
  });
});
