"use client";
import { formatDuration } from "../../lib/status";
import { useNow } from "../../lib/useNow";

/** How long the current action has been running (ticking) or how long the last one took. */
export function Elapsed({ startedAt, endedAt, running }: { startedAt?: number; endedAt?: number; running: boolean }) {
  const now = useNow(running);
  if (startedAt === undefined) return null;
  const ms = (running ? now : (endedAt ?? now)) - startedAt;
  return (
    <span className="elapsed" title={running ? "Running for" : "Took"}>
      {running ? "" : "took "}
      {formatDuration(ms)}
    </span>
  );
}
