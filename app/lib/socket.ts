"use client";
import { io, type Socket } from "socket.io-client";
import { setReachable } from "./reachability";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/protocol";
import { toLogin } from "./trpc";

type KilnSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: KilnSocket | undefined;

declare global {
  interface Window {
    /** The tab's socket, for end-to-end tests that drop and restore the connection. */
    __kilnSocket?: KilnSocket;
  }
}

/** One socket.io connection per tab, shared by every component that needs live data. */
export function getSocket(): KilnSocket {
  if (!socket) {
    socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    // The handshake carries the session cookie; a refusal for want of one means signing in again.
    socket.on("connect_error", (e) => {
      if (e.message.startsWith("Sign in first")) toLogin();
      else setReachable("socket", false);
    });
    socket.io.on("reconnect_error", () => setReachable("socket", false));
    socket.on("connect", () => setReachable("socket", true));
    // The server went away (not this tab closing the connection): socket.io keeps retrying.
    socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") setReachable("socket", false);
    });
    if (typeof window !== "undefined") window.__kilnSocket = socket;
  }
  return socket;
}
