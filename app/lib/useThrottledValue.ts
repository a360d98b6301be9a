"use client";
import { startTransition, useEffect, useRef, useState } from "react";

/**
 * `value`, passed on at most once per `ms` (the first change at once, the latest one at the
 * end of each period) and as a transition, so rendering what depends on it never holds up
 * more urgent updates.
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastAt.current + ms - Date.now();
    const pass = () => {
      lastAt.current = Date.now();
      startTransition(() => setShown(value));
    };
    if (wait <= 0) return pass();
    const t = setTimeout(pass, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms]);
  return shown;
}
