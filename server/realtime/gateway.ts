/**
 * The socket.io gateway: live data reaches browsers only through here (mutations go through
 * tRPC). A client subscribes to a root stack with the last notification id it has; it gets
 * what it missed from the database, then live notifications, with no gap and no duplicate:
 * live ones arriving during the catch-up are held and sent after it, skipping ids already sent.
 *
 * Who may connect: a handshake from this Kiln's own pages or a non-browser client (Host and
 * Origin, access.ts) with a valid session (the cookie, or `auth: {token}`); it acts in the
 * project it names (`auth: {project}`, else the UI's project cookie). A stack of another
 * project cannot be told apart from one that does not exist, and the stack list hears of the
 * caller's project's stacks only.
 */
import type http from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { isStackLevelEvent } from "../engine/convergence/events";
import type { Notification } from "../engine/ports";
import { listNotifications } from "../notify/notificationHistory";
import type { Access } from "../identity/access";
import type { Caller } from "../identity/identity";
import type { Runtime } from "../services/runtime";
import { versionInfo } from "../version";
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from "./protocol";

const subscribeInput = z.object({ stackId: z.string().min(1), afterId: z.number().int().min(0).default(0) });
const CATCH_UP_PAGE = 2000;
const STACKS = "\u0000stacks";
/** Live notifications held for a client that is catching up; past this, it reads them again. */
const MAX_HELD = 5000;
/** Packets waiting for a slow client before it is served from the database instead. */
const MAX_QUEUED_PACKETS = 8;
/** The longest a timer waits (about 24 days); a connection outliving it is closed and reconnects, its session checked again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a connection may see: set by the handshake's check. */
interface SocketData {
  caller: Caller;
  projectId: string;
}

export function attachGateway(server: http.Server, rt: Runtime, access: Access): Server {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(server, {
    path: "/socket.io",
    serveClient: false,
    allowRequest: (req, answer) => {
      const refused = access.refusal(req, { originAlways: true });
      answer(refused?.message ?? null, !refused);
    },
  });
  // Signing out ends the live connections of that session, and a change to a user's access
  // (deleted, a new password, a role given or taken) theirs, in every process: a client comes
  // back through the handshake, re-checked, or does not come back.
  const sessionRoom = (sessionId: string) => `\u0000session:${sessionId}`;
  const userRoom = (userId: string) => `\u0000user:${userId}`;
  access.identity.onSignOut((session) => rt.signals.send("access-ended", JSON.stringify({ session })));
  // For the process's life, as the gateway's.
  rt.signals.on("access-ended", (message) => {
    const ended = JSON.parse(message) as { session?: string; user?: string };
    if (ended.session) io.in(sessionRoom(ended.session)).disconnectSockets(true);
    if (ended.user) io.in(userRoom(ended.user)).disconnectSockets(true);
  });
  io.use((socket, next) => {
    const given = socket.handshake.auth as { token?: unknown; project?: unknown };
    access
      .callerOf(socket.request, given)
      .then((caller) => {
        if (!caller) return next(new Error("Sign in first: no valid session cookie or token"));
        if (!caller.project) return next(new Error(caller.projectProblem ?? "No project"));
        const data: SocketData = { caller, projectId: caller.project.id };
        socket.data = data;
        next();
      })
      .catch(next);
  });
  io.on("connection", (socket) => {
    socket.emit("hello", { version: versionInfo.version });
    const { projectId, caller } = socket.data as SocketData;
    void socket.join([sessionRoom(caller.sessionId), userRoom(caller.userId)]);
    // The session is checked at the handshake only: the connection ends when the session does.
    const expiry = setTimeout(() => socket.disconnect(true), Math.min(caller.expiresAt.getTime() - Date.now(), MAX_TIMER_MS));
    const subscriptions = new Map<string, () => void>();
    // Checked again here: the types say what a client should send, not what it does.
    socket.on("subscribe", (raw: unknown, ack?: (answer: SubscribeAck) => void) => {
      const parsed = subscribeInput.safeParse(raw);
      if (!parsed.success) return ack?.({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
      const { stackId, afterId } = parsed.data;
      subscriptions.get(stackId)?.();
      // Registered before the catch-up, so an unsubscribe arriving during it still ends it.
      let stop: (() => void) | undefined;
      let stopped = false;
      const end = () => {
        stopped = true;
        stop?.();
      };
      subscriptions.set(stackId, end);
      void (async () => {
        // Another project's stack is answered exactly as one that does not exist.
        if (!(await isProjectsStack(rt, stackId, projectId))) {
          if (subscriptions.get(stackId) === end) subscriptions.delete(stackId);
          return ack?.({ error: `Stack "${stackId}" not found` });
        }
        const s = await subscribe(rt, socket, stackId, afterId);
        stop = s;
        if (stopped) s();
        ack?.({ ok: true });
      })();
    });
    // The stack list: told when any top-level stack starts or finishes an operation.
    socket.on("watch-stacks", () => {
      if (subscriptions.has(STACKS)) return;
      subscriptions.set(
        STACKS,
        rt.bus.subscribe("*", (batch) => {
          const changed = batch.filter((n) => isStackLevelEvent(n) && n.stackId === n.rootStackId);
          if (!changed.length) return;
          // Stored events carry their project, even once their stack is deleted.
          void rt.db.prisma.event
            .findMany({ where: { id: { in: changed.map((n) => n.id) }, projectId }, select: { stackId: true } })
            .then((ours) => {
              if (ours.length) socket.emit("stacks-changed", { stackIds: [...new Set(ours.map((e) => e.stackId))] });
            })
            .catch((err: unknown) => rt.log.error({ err }, "the stack list's filter failed"));
        }),
      );
    });
    socket.on("unsubscribe", (stackId: string) => {
      subscriptions.get(stackId)?.();
      subscriptions.delete(stackId);
    });
    socket.on("disconnect", () => {
      clearTimeout(expiry);
      for (const stop of subscriptions.values()) stop();
    });
  });
  return io;
}

/** The stack is the project's, or was: a deleted stack's events stay readable to its project (a delete --wait that subscribes late). */
async function isProjectsStack(rt: Runtime, stackId: string, projectId: string): Promise<boolean> {
  const stack = await rt.store.getStack(stackId);
  if (stack) return stack.projectId === projectId;
  return !!(await rt.db.prisma.event.findFirst({ where: { rootStackId: stackId, projectId }, select: { id: true } }));
}

async function subscribe(rt: Runtime, socket: Socket, rootStackId: string, afterId: number): Promise<() => void> {
  let lastSent = afterId;
  let stopped = false;
  const send = (batch: Notification[]) => {
    const fresh = batch.filter((n) => n.id > lastSent);
    if (!fresh.length || stopped) return;
    lastSent = fresh.at(-1)!.id;
    socket.emit("notifications", { stackId: rootStackId, items: fresh });
  };
  // A client that reads slower than notifications come: its packets wait in engine.io's write
  // buffer (one batch at a time is handed to the connection). Past a few, stop queueing and
  // read from the database once the buffer has drained.
  const congested = () => queuedPackets(socket) >= MAX_QUEUED_PACKETS;
  const drained = () =>
    new Promise<void>((resolve) => {
      if (!congested() || socket.disconnected) return resolve();
      const done = () => {
        socket.conn.off("drain", done);
        socket.conn.off("close", done);
        resolve();
      };
      socket.conn.on("drain", done);
      socket.conn.on("close", done);
    });
  const readNew = async () => {
    for (;;) {
      await drained();
      if (stopped) return;
      const page = await listNotifications(rt.db, { rootStackId, afterId: lastSent, limit: CATCH_UP_PAGE });
      send(page);
      if (page.length < CATCH_UP_PAGE) return;
    }
  };
  const follow = rt.bus.ordered ? followOrdered : followUnordered;
  const unsubscribe = await follow(rt, rootStackId, { send, readNew, congested });
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/** engine.io keeps the packets a connection has not yet taken in `writeBuffer`, typed private. */
const queuedPackets = (socket: Socket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

interface Delivery {
  /** Emits what is newer than the last id sent. */
  send: (batch: Notification[]) => void;
  /** Sends everything after the last id sent from the database, waiting out a congested client. */
  readNew: () => Promise<void>;
  congested: () => boolean;
}

/**
 * One process: live batches arrive in id order and are sent as they come, unless the client
 * is behind (catching up, or congested). Then they are held, and sent after the database
 * has been read (send skips ids already sent); if too many pile up they are dropped and the
 * database is read again.
 */
async function followOrdered(rt: Runtime, rootStackId: string, { send, readNew, congested }: Delivery) {
  let live = false;
  let held: Notification[] = [];
  let overflowed = false;
  const catchUp = async () => {
    do {
      overflowed = false;
      await readNew();
    } while (overflowed);
    live = true;
    const batch = held.sort((a, b) => a.id - b.id);
    held = [];
    send(batch);
  };
  const unsubscribe = rt.bus.subscribe(rootStackId, (batch) => {
    if (live && !congested()) return send(batch);
    held.push(...batch);
    if (held.length > MAX_HELD) {
      held = [];
      overflowed = true;
    }
    if (live) {
      live = false;
      void catchUp();
    }
  });
  await catchUp();
  return unsubscribe;
}

/**
 * Several processes: a later id may be published before an earlier one, so a live batch only
 * says "something is new" and the database (where ids commit in order) says what. Reads for
 * one subscription never overlap; pokes during a read cause one more read.
 */
async function followUnordered(rt: Runtime, rootStackId: string, { readNew }: Delivery) {
  let reading: Promise<void> | undefined;
  let again = false;
  const poke = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = (async () => {
      do {
        again = false;
        await readNew();
      } while (again);
      reading = undefined;
    })();
  };
  const unsubscribe = rt.bus.subscribe(rootStackId, poke);
  poke();
  await reading;
  return unsubscribe;
}
