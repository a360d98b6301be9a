import { toneOf } from "../lib/status";

/** A Heat state (`CREATE_COMPLETE`) as text plus colour: colour is never the only signal. */
export function StatusBadge({ action, status, reason }: { action: string; status: string; reason?: string }) {
  return (
    <span className={`badge badge-${toneOf(status, action)}`} title={reason || undefined} data-testid="status-badge">
      {action}_{status}
    </span>
  );
}
