import { describe, expect, it } from "vitest";
import type { Notification } from "../engine/ports";
import { LocalNotificationBus } from "./notificationBus";

let id = 0;
const note = (rootStackId: string): Notification => ({
  id: ++id,
  stackId: rootStackId,
  rootStackId,
  stackPath: "",
  kind: "event",
  reason: "",
  createdAt: new Date().toISOString(),
});

describe("the local notification bus", () => {
  it("delivers a stack tree's notifications to its subscribers and everything to '*'", () => {
    const bus = new LocalNotificationBus();
    const a: Notification[][] = [];
    const all: Notification[][] = [];
    bus.subscribe("A", (b) => a.push(b));
    bus.subscribe("*", (b) => all.push(b));
    const batch = [note("A"), note("B"), note("A")];
    bus.publish(batch);
    expect(a).toEqual([[batch[0], batch[2]]]);
    expect(all).toEqual([batch]);
  });

  it("stops delivering after unsubscribe", () => {
    const bus = new LocalNotificationBus();
    const got: Notification[] = [];
    const off = bus.subscribe("A", (b) => got.push(...b));
    bus.publish([note("A")]);
    off();
    bus.publish([note("A")]);
    expect(got).toHaveLength(1);
  });

  it("keeps delivering to others when a listener throws, and reports the error", () => {
    const errors: unknown[] = [];
    const bus = new LocalNotificationBus((e) => errors.push(e));
    const got: Notification[] = [];
    bus.subscribe("A", () => {
      throw new Error("boom");
    });
    bus.subscribe("A", (b) => got.push(...b));
    expect(() => bus.publish([note("A")])).not.toThrow();
    expect(got).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ message: "boom" })]);
  });
});
