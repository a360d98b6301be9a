"use client";
import { useReachable } from "../lib/reachability";

/**
 * Across the top of every page while the server cannot be reached; gone once it answers again
 * (the header's live connection, which retries on its own, is what notices).
 */
export function OutageBanner() {
  const reachable = useReachable();
  if (reachable) return null;
  return (
    <div className="outage" role="alert" data-testid="outage-banner">
      <strong>Kiln is unreachable — retrying…</strong> What you see may be out of date; changes made now may not be saved.
    </div>
  );
}
