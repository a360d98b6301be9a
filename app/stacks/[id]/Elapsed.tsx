"use client";
import { useEffect, useState } from "react";
import { formatDuration } from "../../lib/status";

/** How long the current action has been running (ticking) or how long the last one took. */
export function Elapsed({ startedAt, endedAt, running }: { startedAt?: number; endedAt?: number; running: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  if (startedAt === undefined) return null;
  const ms = (running ? now : (endedAt ?? now)) - startedAt;
  return (
    <span className="elapsed" title={running ? "Running for" : "Took"}>
      {running ? "" : "took "}
      {formatDuration(ms)}
    </span>
  );
}
