"use client";
import { io, type Socket } from "socket.io-client";
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
    });
    if (typeof window !== "undefined") window.__kilnSocket = socket;
  }
  return socket;
}
