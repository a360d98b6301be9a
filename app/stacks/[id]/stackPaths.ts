/** A resource's key on the page: its name, prefixed by the path of the nested stack holding it. */
export const resourceKey = (stackPath: string, name: string) => (stackPath ? `${stackPath}/${name}` : name);

/** `path` as seen from the nested stack at `base`; undefined when it lies outside that stack. */
export function relativePath(path: string, base: string): string | undefined {
  if (!base) return path;
  if (path === base) return "";
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined;
}
