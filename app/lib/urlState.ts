"use client";
import { useCallback, useEffect, useState } from "react";

type Params<K extends string> = Partial<Record<K, string>>;

/**
 * Some of a page's view state kept in its query string, so the view can be linked and survives
 * a reload: read once the page is in the browser, written back (replacing the history entry)
 * on every change. An empty value is left out of the URL. Each caller owns its own keys.
 */
export function useUrlParams<K extends string>(keys: readonly K[]): [Params<K>, (patch: Params<K>) => void] {
  const [values, setValues] = useState<Params<K>>({});
  const keyList = keys.join();
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const read: Params<K> = {};
    for (const k of keyList.split(",") as K[]) {
      const v = query.get(k);
      if (v) read[k] = v;
    }
    setValues(read);
  }, [keyList]);
  const update = useCallback((patch: Params<K>) => {
    setValues((old) => ({ ...old, ...patch }));
    const url = new URL(window.location.href);
    for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
      if (v) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, []);
  return [values, update];
}
