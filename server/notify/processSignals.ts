/**
 * Short messages that every process of one Kiln hears, from whichever process sends them:
 *   - "server-metadata": a server's deployment metadata changed (a worker applying a
 *     deployment), for the web process holding that server's agent connection;
 *   - "access-ended": a session ended or a user's access changed (signed out, deleted, a new
 *     password, a role given or taken), for every process holding their live connections.
 * In one process an EventEmitter carries them; scaled out, one Redis channel beside the
 * notifications'. A lost message only delays: an agent is sent its metadata when it
 * reconnects, and a live connection still ends when its session expires.
 */
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "pino";

export type SignalTopic = "server-metadata" | "access-ended";
export type SignalListener = (message: string) => void;

export interface ProcessSignals {
  send(topic: SignalTopic, message: string): void;
  /** Answers the function that ends the subscription. */
  on(topic: SignalTopic, listener: SignalListener): () => void;
  close(): Promise<void>;
}

export class LocalProcessSignals implements ProcessSignals {
  private readonly emitter = new EventEmitter();

  /** A listener that throws must not keep the message from the others. */
  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(0);
  }

  send(topic: SignalTopic, message: string) {
    this.emitter.emit(topic, message);
  }

  on(topic: SignalTopic, listener: SignalListener) {
    const guarded = (message: string) => {
      try {
        listener(message);
      } catch (err) {
        this.onListenerError(err);
      }
    };
    this.emitter.on(topic, guarded);
    return () => void this.emitter.off(topic, guarded);
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

const TOPICS = new Set<string>(["server-metadata", "access-ended"]);

export class RedisProcessSignals implements ProcessSignals {
  private readonly local: LocalProcessSignals;
  private readonly channel: string;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.channel = `${prefix}:signals`;
    this.local = new LocalProcessSignals((err) => log.error({ err }, "process signal listener failed"));
    subscriber.on("message", (_channel: string, raw: string) => {
      const [topic, message] = parsed(raw);
      if (topic && TOPICS.has(topic)) this.local.send(topic as SignalTopic, message!);
    });
  }

  static async connect(url: string, prefix: string, log: Logger): Promise<RedisProcessSignals> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    const signals = new RedisProcessSignals(publisher, subscriber, prefix, log);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(signals.channel);
    return signals;
  }

  send(topic: SignalTopic, message: string) {
    this.publisher.publish(this.channel, JSON.stringify([topic, message])).catch((err: unknown) => this.log.warn({ err, topic }, "could not publish a process signal to Redis"));
  }

  on(topic: SignalTopic, listener: SignalListener) {
    return this.local.on(topic, listener);
  }

  async close() {
    await this.local.close();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

function parsed(raw: string): [string?, string?] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" ? [v[0], v[1]] : [];
  } catch {
    return [];
  }
}

/** "Server X's metadata changed", as the engine tells it and the agent gateway hears it. */
export interface MetadataChanges {
  changed(serverId: string): void;
  subscribe(listener: (serverId: string) => void): () => void;
}

export const metadataChanges = (signals: ProcessSignals): MetadataChanges => ({
  changed: (serverId) => signals.send("server-metadata", serverId),
  subscribe: (listener) => signals.on("server-metadata", listener),
});
