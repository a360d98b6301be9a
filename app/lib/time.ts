/**
 * Times as the pages show them: relative in the text, absolute with date and timezone on hover.
 *
 * A page's first Intl date formatter loads the browser's date and timezone data: 25–70 ms of the
 * main thread here, which the stack page paid on the way to its first paint. So the times its
 * first frame shows (the event stream's clock) are built from the Date alone, and the hover
 * texts' formatter is made when a hover text is first asked for.
 */

/** 0–23: `hour12: false` reads as 1–24 in some locales (en-US showed 24:05:03 five minutes after midnight). */
export const HOURS = "h23";

let absolute: Intl.DateTimeFormat | undefined;

/** "Nov 29, 2026, 23:41:07 UTC" in the reader's locale and timezone. */
export function absoluteTime(at: string | number): string {
  // One formatter for every call: building one per call is what a burst of rows feels.
  absolute ??= new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: HOURS, timeZoneName: "short" });
  return absolute.format(new Date(at));
}

const padded = (n: number, digits = 2) => String(n).padStart(digits, "0");

/** "23:41:07.250": the reader's local time of day, 24-hour, to the millisecond. */
export function clockTime(at: string | number): string {
  const d = new Date(at);
  return `${padded(d.getHours())}:${padded(d.getMinutes())}:${padded(d.getSeconds())}.${padded(d.getMilliseconds(), 3)}`;
}

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
