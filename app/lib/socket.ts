"use client";
import { io, type Socket } from "socket.io-client";

let socket: Socket | undefined;

/** One socket.io connection per tab, shared by every component that needs live data. */
export function getSocket(): Socket {
  socket ??= io({ path: "/socket.io", transports: ["websocket", "polling"] });
  return socket;
}
