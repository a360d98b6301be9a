import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import type { NotificationLike } from "./eventLog";
import { verdict, waitForStack, type StackState } from "./wait";

describe("when a wait is over", () => {
  it("a create or update ends with its own COMPLETE or FAILED", () => {
    expect(verdict("CREATE", false, "CREATE", "IN_PROGRESS")).toBe("wait");
    expect(verdict("CREATE", false, "CREATE", "COMPLETE")).toBe("ok");
    expect(verdict("CREATE", false, "CREATE", "FAILED")).toBe("failed");
    expect(verdict("UPDATE", false, "UPDATE", "COMPLETE")).toBe("ok");
  });

  it("a failure that rolls back is over when the rollback is, and failed either way", () => {
    expect(verdict("UPDATE", true, "UPDATE", "FAILED")).toBe("wait");
    expect(verdict("UPDATE", true, "ROLLBACK", "COMPLETE")).toBe("failed");
    expect(verdict("CREATE", true, "ROLLBACK", "FAILED")).toBe("failed");
  });

  it("a delete ends with DELETE_COMPLETE; any other operation fails if the stack is deleted", () => {
    expect(verdict("DELETE", false, "DELETE", "COMPLETE")).toBe("ok");
    expect(verdict("DELETE", false, "DELETE", "FAILED")).toBe("failed");
    expect(verdict("CREATE", false, "DELETE", "COMPLETE")).toBe("failed");
  });

  it("a cancel succeeds when its rollback completes, or the create stops without one", () => {
    expect(verdict("CANCEL", true, "UPDATE", "FAILED")).toBe("wait");
    expect(verdict("CANCEL", true, "ROLLBACK", "COMPLETE")).toBe("ok");
    expect(verdict("CANCEL", false, "CREATE", "FAILED")).toBe("ok");
    expect(verdict("CHECK", false, "CHECK", "FAILED")).toBe("failed");
  });
});

/** A socket.io server speaking the gateway's protocol, replaying `history` after the afterId it is sent. */
async function fakeGateway(history: NotificationLike[]) {
  const server = http.createServer();
  const io = new Server(server, { path: "/socket.io" });
  const subscriptions: { stackId: string; afterId: number }[] = [];
  io.on("connection", (socket) => {
    socket.on("subscribe", (req: { stackId: string; afterId: number }, ack: (r: unknown) => void) => {
      subscriptions.push(req);
      socket.emit("notifications", { stackId: req.stackId, items: history.filter((n) => n.id > req.afterId) });
      ack({ ok: true });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, io, subscriptions, close: () => new Promise<void>((r) => io.close(() => r())) };
}

const ev = (id: number, over: Partial<NotificationLike>): NotificationLike => ({
  id,
  stackId: "S",
  stackPath: "",
  kind: "event",
  resourceName: "r",
  physicalResourceId: "p",
  resourceType: "OS::Heat::TestResource",
  action: "CREATE",
  status: "IN_PROGRESS",
  reason: "state changed",
  createdAt: "2026-11-25T15:30:01.000Z",
  ...over,
});
const stackEv = (id: number, action: string, status: string, reason = "") =>
  ev(id, { resourceName: "s", physicalResourceId: "S", resourceType: "OS::Heat::Stack", action, status, reason });

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("waiting on a stack over socket.io", () => {
  const inProgress = async (): Promise<StackState> => ({ action: "CREATE", status: "IN_PROGRESS", reason: "" });

  it("prints events after the given id and stops at the stack's own COMPLETE", async () => {
    const g = await fakeGateway([
      stackEv(1, "UPDATE", "COMPLETE", "an older operation"),
      stackEv(2, "UPDATE", "IN_PROGRESS"),
      ev(3, { action: "UPDATE" }),
      // A nested stack's own event is not the root's.
      ev(4, { stackId: "N", stackPath: "web", resourceName: "s-web", physicalResourceId: "N", resourceType: "OS::Heat::Stack", action: "UPDATE", status: "COMPLETE" }),
      stackEv(5, "UPDATE", "COMPLETE", "Stack UPDATE completed successfully"),
      ev(6, { reason: "after the end" }),
    ]);
    cleanup = g.close;
    const lines: string[] = [];
    const result = await waitForStack({ url: g.url, auth: { token: "t", project: undefined }, stackId: "S", operation: "UPDATE", rollback: false, afterId: 1, onLine: (l) => lines.push(l), currentState: inProgress });
    expect(result).toEqual({ ok: true, stackStatus: "UPDATE_COMPLETE", reason: "Stack UPDATE completed successfully" });
    expect(g.subscriptions).toEqual([{ stackId: "S", afterId: 1 }]);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe("2026-11-25 15:30:01Z [s]: UPDATE_COMPLETE  Stack UPDATE completed successfully");
  });

  it("reports a failure that rolled back with the reason it failed", async () => {
    const g = await fakeGateway([
      stackEv(1, "CREATE", "IN_PROGRESS"),
      stackEv(2, "CREATE", "FAILED", "Resource CREATE failed: boom"),
      stackEv(3, "ROLLBACK", "IN_PROGRESS"),
      stackEv(4, "ROLLBACK", "COMPLETE", "Stack ROLLBACK completed successfully"),
    ]);
    cleanup = g.close;
    const result = await waitForStack({ url: g.url, auth: { token: "t", project: undefined }, stackId: "S", operation: "CREATE", rollback: true, afterId: 0, onLine: () => {}, currentState: inProgress });
    expect(result).toEqual({ ok: false, stackStatus: "ROLLBACK_COMPLETE", reason: "Resource CREATE failed: boom" });
  });

  it("finishes from the stack's state when it ended before subscribing and no closing event comes", async () => {
    const g = await fakeGateway([]);
    cleanup = g.close;
    const result = await waitForStack({
      url: g.url,
      auth: { token: "t", project: undefined },
      stackId: "S",
      operation: "CHECK",
      rollback: false,
      afterId: 7,
      onLine: () => {},
      currentState: async () => ({ action: "CHECK", status: "COMPLETE", reason: "done" }),
      graceMs: 10,
    });
    expect(result).toEqual({ ok: true, stackStatus: "CHECK_COMPLETE", reason: "done" });
  });

  it("a delete whose stack is already gone is complete", async () => {
    const g = await fakeGateway([]);
    cleanup = g.close;
    const result = await waitForStack({ url: g.url, auth: { token: "t", project: undefined }, stackId: "S", operation: "DELETE", rollback: false, afterId: 0, onLine: () => {}, currentState: async () => "gone", graceMs: 10 });
    expect(result.ok).toBe(true);
    expect(result.stackStatus).toBe("DELETE_COMPLETE");
  });

  it("a server that cannot be reached fails with the unreachable message", async () => {
    await expect(
      waitForStack({ url: "http://127.0.0.1:9", auth: { token: "t", project: undefined }, stackId: "S", operation: "CREATE", rollback: false, afterId: 0, onLine: () => {}, currentState: inProgress }),
    ).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining("cannot reach Kiln at http://127.0.0.1:9") });
  });
});
