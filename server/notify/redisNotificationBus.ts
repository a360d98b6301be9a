/**
 * The bus of the scaled-out mode: every process publishes persisted notifications to one
 * Redis channel and delivers what it receives there (its own included) to its local
 * listeners, so a browser connected to any `web` process sees what every `worker` does.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Notification } from "../engine/ports";
import { LocalNotificationBus, type NotificationBus, type NotificationListener } from "./notificationBus";


export class RedisNotificationBus implements NotificationBus {
  readonly ordered = false;
  private readonly local: LocalNotificationBus;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  private readonly channel: string;

  private constructor(url: string, prefix: string, private readonly log: Logger) {
    this.channel = `${prefix}:notifications`;
    this.local = new LocalNotificationBus((err) => log.error({ err }, "notification listener failed"));
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url, { lazyConnect: true });
    this.subscriber.on("message", (_channel: string, message: string) => {
      this.local.publish(JSON.parse(message) as Notification[]);
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
    // Already persisted: a lost publish only delays a browser until its next catch-up read.
    this.publisher.publish(this.channel, JSON.stringify(batch)).catch((err: unknown) => this.log.warn({ err }, "could not publish notifications to Redis"));
  }

  subscribe(rootStackId: string, listener: NotificationListener) {
    return this.local.subscribe(rootStackId, listener);
  }

  async close() {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
