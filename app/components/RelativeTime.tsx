"use client";
import { useEffect, useState } from "react";
import { absoluteTime, relativeTime } from "../lib/time";
import { useHoverTitle } from "../lib/useHoverTitle";

/** "3 min ago", kept fresh, with the date, time and timezone on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const hover = useHoverTitle(() => absoluteTime(iso));
  return (
    <time dateTime={iso} {...hover} data-testid="relative-time">
      {relativeTime(now - Date.parse(iso))}
    </time>
  );
}
