"use client";
import { io, type Socket } from "socket.io-client";

let socket: Socket | undefined;

declare global {
  interface Window {
    /** The tab's socket, for end-to-end tests that drop and restore the connection. */
    __kilnSocket?: Socket;
  }
}

/** One socket.io connection per tab, shared by every component that needs live data. */
export function getSocket(): Socket {
  if (!socket) {
    socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    if (typeof window !== "undefined") window.__kilnSocket = socket;
  }
  return socket;
}
