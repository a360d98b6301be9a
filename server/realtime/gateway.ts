/**
 * The socket.io gateway: live data reaches browsers only through here (mutations go through
 * tRPC). Clients join one room per stack; notifications are published to those rooms.
 */
import type http from "node:http";
import { Server } from "socket.io";
import type { Logger } from "../log";
import { versionInfo } from "../version";

export function attachGateway(server: http.Server, log: Logger): Server {
  const io = new Server(server, { path: "/socket.io", serveClient: false });
  io.on("connection", (socket) => {
    log.debug({ socket: socket.id }, "client connected");
    socket.emit("hello", { version: versionInfo.version });
    socket.on("disconnect", (reason) => log.debug({ socket: socket.id, reason }, "client disconnected"));
  });
  return io;
}
