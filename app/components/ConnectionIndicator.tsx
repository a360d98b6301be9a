"use client";
import { useEffect, useState } from "react";
import { getSocket } from "../lib/socket";

type State = "connecting" | "connected" | "disconnected";

const LABEL: Record<State, string> = {
  connecting: "Connecting…",
  connected: "Live",
  disconnected: "Offline — reconnecting",
};

/** Shows whether live updates are flowing (socket.io connected). */
export function ConnectionIndicator() {
  const [state, setState] = useState<State>("connecting");
  useEffect(() => {
    const socket = getSocket();
    const onConnect = () => setState("connected");
    const onDisconnect = () => setState("disconnected");
    if (socket.connected) setState("connected");
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.io.on("reconnect_attempt", () => setState("connecting"));
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
    };
  }, []);
  return (
    <span className={`connection connection-${state}`} data-testid="connection" data-state={state} title={`Live updates: ${state}`}>
      <span className="connection-dot" aria-hidden />
      {LABEL[state]}
    </span>
  );
}
