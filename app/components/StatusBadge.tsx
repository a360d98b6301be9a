/** A Heat state (`CREATE_COMPLETE`) as text plus colour: colour is never the only signal. */
export function StatusBadge({ action, status, reason }: { action: string; status: string; reason?: string }) {
  const tone = status === "FAILED" ? "failed" : status === "IN_PROGRESS" ? "progress" : "complete";
  return (
    <span className={`badge badge-${tone}`} title={reason || undefined}>
      {action}_{status}
    </span>
  );
}
