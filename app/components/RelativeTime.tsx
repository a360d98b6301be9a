"use client";
import { useEffect, useState } from "react";
import { absoluteTime, relativeTime } from "../lib/time";
import { whenIdle } from "../lib/whenIdle";

/** "3 min ago", kept fresh, with the date, time and timezone on hover (and for screen readers). */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // Put in once the page is idle, not in its first frame (see lib/time.ts).
  const [title, setTitle] = useState<string>();
  useEffect(() => whenIdle(() => setTitle(absoluteTime(iso))), [iso]);
  return (
    <time dateTime={iso} title={title} data-testid="relative-time">
      {relativeTime(now - Date.parse(iso))}
    </time>
  );
}
