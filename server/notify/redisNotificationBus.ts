/**
 * The bus of the scaled-out mode: every process publishes persisted notifications to one
 * Redis channel and delivers what it receives there (its own included) to its local
 * listeners, so a browser connected to any `web` process sees what every `worker` does.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Notification } from "../engine/ports";
import { LocalNotificationBus, type NotificationBus, type NotificationListener } from "./notificationBus";

/** Notifications are published at most once per this many ms (ordered is false: a batch is a signal to read what is new). */
const PUBLISH_GAP_MS = 10;

export class RedisNotificationBus implements NotificationBus {
  readonly ordered = false;
  private readonly local: LocalNotificationBus;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  private readonly channel: string;
  /** Batches persisted within PUBLISH_GAP_MS of the last publish: they leave together, in one message. */
  private waiting: Notification[] = [];
  private gap?: NodeJS.Timeout;

  private constructor(url: string, prefix: string, private readonly log: Logger) {
    this.channel = `${prefix}:notifications`;
    this.local = new LocalNotificationBus((err) => log.error({ err }, "notification listener failed"));
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url, { lazyConnect: true });
    this.subscriber.on("message", (_channel: string, message: string) => {
      // A worker process has no one listening: it need not parse what every process sends.
      if (this.local.listening) this.local.publish(JSON.parse(message) as Notification[]);
    });
  }

  static async connect(url: string, prefix: string, log: Logger): Promise<RedisNotificationBus> {
    const bus = new RedisNotificationBus(url, prefix, log);
    await Promise.all([bus.publisher.connect(), bus.subscriber.connect()]);
    await bus.subscriber.subscribe(bus.channel);
    return bus;
  }

  publish(batch: Notification[]) {
    if (batch.length === 0) return;
    this.waiting.push(...batch);
    if (!this.gap) this.publishWaiting();
  }

  /**
   * The first batch after a quiet spell leaves at once; what follows within the gap leaves in
   * one message at its end. A converging worker persists a batch every few hundred microseconds:
   * this makes one Redis command (and one message for every process to read) of many.
   */
  private publishWaiting() {
    if (this.waiting.length === 0) {
      this.gap = undefined;
      return;
    }
    const message = JSON.stringify(this.waiting.splice(0));
    // Already persisted: a lost publish only delays a browser until its next catch-up read.
    this.publisher.publish(this.channel, message).catch((err: unknown) => this.log.warn({ err }, "could not publish notifications to Redis"));
    this.gap = setTimeout(() => this.publishWaiting(), PUBLISH_GAP_MS);
  }

  subscribe(rootStackId: string, listener: NotificationListener) {
    return this.local.subscribe(rootStackId, listener);
  }

  async close() {
    clearTimeout(this.gap);
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
