/**
 * "Server X's metadata changed", from whichever process changed it (a worker applying a
 * deployment) to whichever holds X's agent connection (a web process). The engine calls
 * `changed` (its ServerMetadataEvents port); the agent gateway subscribes. In one process an
 * EventEmitter carries it; scaled out, a Redis channel beside the notifications' one. A lost
 * message only delays an agent until it reconnects, when it is sent the metadata anyway.
 */
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "pino";

export type MetadataChangeListener = (serverId: string) => void;

export interface MetadataChanges {
  changed(serverId: string): void;
  subscribe(listener: MetadataChangeListener): () => void;
  close(): Promise<void>;
}

export class LocalMetadataChanges implements MetadataChanges {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(0);
  }

  changed(serverId: string) {
    this.emitter.emit("changed", serverId);
  }

  subscribe(listener: MetadataChangeListener) {
    const guarded = (serverId: string) => {
      try {
        listener(serverId);
      } catch (err) {
        this.onListenerError(err);
      }
    };
    this.emitter.on("changed", guarded);
    return () => void this.emitter.off("changed", guarded);
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

export class RedisMetadataChanges implements MetadataChanges {
  private readonly local: LocalMetadataChanges;
  private readonly channel: string;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.channel = `${prefix}:server-metadata`;
    this.local = new LocalMetadataChanges((err) => log.error({ err }, "server metadata listener failed"));
    subscriber.on("message", (_channel: string, serverId: string) => this.local.changed(serverId));
  }

  static async connect(url: string, prefix: string, log: Logger): Promise<RedisMetadataChanges> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    const changes = new RedisMetadataChanges(publisher, subscriber, prefix, log);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(changes.channel);
    return changes;
  }

  changed(serverId: string) {
    this.publisher.publish(this.channel, serverId).catch((err: unknown) => this.log.warn({ err }, "could not publish a server metadata change to Redis"));
  }

  subscribe(listener: MetadataChangeListener) {
    return this.local.subscribe(listener);
  }

  async close() {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
