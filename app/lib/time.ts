/** Times as the pages show them: relative in the text, absolute with date and timezone on hover. */

// One formatter for every call: building one per call is what a burst of rows feels.
const absolute = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZoneName: "short" });

/** "Nov 29, 2026, 23:41:07 UTC" in the reader's locale and timezone. */
export const absoluteTime = (iso: string | number) => absolute.format(new Date(iso));

/** "just now", "3 min ago", "5 h ago", "2 d ago"; a time ahead of the clock (a skewed server) is "just now". */
export function relativeTime(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}
