/**
 * Fan-out of persisted notifications to whoever listens in this process (the socket.io
 * gateway, tests). Listeners subscribe to one stack tree by its root stack id, or to all with
 * "*". The local bus is an EventEmitter; a Redis one will carry the same batches between
 * processes when Kiln is scaled out.
 */
import { EventEmitter } from "node:events";
import type { Notification } from "../engine/ports";

/** Receives a batch in id order; a batch for one root holds only that tree's notifications. */
export type NotificationListener = (batch: Notification[]) => void;

export interface NotificationBus {
  /**
   * True when listeners receive notifications in id order (one process). Across processes a
   * later id can arrive first, so listeners that must not skip any treat a batch as a signal
   * to read what is new from the database.
   */
  readonly ordered: boolean;
  /** Only ever called with notifications already persisted, in id order. */
  publish(batch: Notification[]): void;
  /** Answers the function that ends the subscription. */
  subscribe(rootStackId: string | "*", listener: NotificationListener): () => void;
}

const ALL = "*";

export class LocalNotificationBus implements NotificationBus {
  readonly ordered = true;
  private readonly emitter = new EventEmitter();

  /** A listener that throws must not keep the batch from the others, nor fail the publisher. */
  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(0); // one per open browser tab is normal
  }

  /** Whether anyone listens: a batch published to no one is dropped unread. */
  get listening(): boolean {
    return this.emitter.eventNames().length > 0;
  }

  publish(batch: Notification[]) {
    if (batch.length === 0) return;
    const byRoot = new Map<string, Notification[]>();
    for (const n of batch) {
      const list = byRoot.get(n.rootStackId);
      if (list) list.push(n);
      else byRoot.set(n.rootStackId, [n]);
    }
    for (const [root, list] of byRoot) this.emit(root, list);
    this.emit(ALL, batch);
  }

  subscribe(rootStackId: string | "*", listener: NotificationListener) {
    const guarded: NotificationListener = (batch) => {
      try {
        listener(batch);
      } catch (err) {
        this.onListenerError(err);
      }
    };
    this.emitter.on(rootStackId, guarded);
    return () => {
      this.emitter.off(rootStackId, guarded);
    };
  }

  private emit(channel: string, batch: Notification[]) {
    this.emitter.emit(channel, batch);
  }
}
