import type { Notification, NotificationInput, Notifier } from "../ports";

/** Keeps every notification in order, with ids, as the store would. */
export class MemoryNotifier implements Notifier {
  readonly all: Notification[] = [];

  async notify(items: NotificationInput[]) {
    for (const n of items) {
      this.all.push({ ...n, id: this.all.length + 1, rootStackId: n.stackId, stackPath: "", createdAt: new Date().toISOString() });
    }
  }

  /** "name ACTION_STATUS" lines for resource and stack events, in order. */
  events(filter?: (n: Notification) => boolean): string[] {
    return this.all
      .filter((n) => n.kind === "event" && (!filter || filter(n)))
      .map((n) => `${n.resourceName} ${n.action}_${n.status}`);
  }
}
