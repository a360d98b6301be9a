/** A resource's key on the page: its name, prefixed by the path of the nested stack holding it. */
export const resourceKey = (stackPath: string, name: string) => (stackPath ? `${stackPath}/${name}` : name);

/** `path` as seen from the nested stack at `base`; undefined when it lies outside that stack. */
export function relativePath(path: string, base: string): string | undefined {
  if (!base) return path;
  if (path === base) return "";
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined;
}

/**
 * Resource names and keys in natural order (r2 before r10). One collator for all: localeCompare
 * with options builds a new one per call, which sorting a thousand names pays thousands of times.
 */
export const naturalOrder = new Intl.Collator(undefined, { numeric: true }).compare;
