/** The colour family of a Heat status; every use also prints the status as text. */
export type Tone = "complete" | "failed" | "progress" | "rolledback" | "idle";

export function toneOf(status: string | null | undefined, action?: string | null): Tone {
  if (status === "FAILED") return "failed";
  if (status === "IN_PROGRESS") return "progress";
  // A rollback that succeeded still means the operation failed: never the grey of a quiet state.
  if (status === "COMPLETE" && action === "ROLLBACK") return "rolledback";
  if (status === "COMPLETE" && action !== "INIT" && action !== "DELETE" && action !== "ROLLBACK") return "complete";
  return "idle";
}

/** "850 ms", "4.2 s", "3 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  if (m < 60) return `${m} min ${String(rest).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** A status reason worth showing: Heat's bare "state changed" says nothing the status does not. */
export const telling = (reason: string | null | undefined): string => (reason && reason !== "state changed" ? reason : "");
