/** The UI's sign-in page and where it sends you afterwards; shared by the server's redirects and the page itself. */
export const LOGIN_PAGE = "/login";

const HERE = "http://kiln.invalid";

/**
 * Only a path of this server: `next` must not send a freshly signed-in user to another site.
 * Resolved as a browser would (which drops tabs and newlines and reads "\\" as "/"), so
 * "/\t/evil.example" is refused like "//evil.example".
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/")) return "/";
  const url = new URL(next, HERE);
  return url.origin === HERE ? url.pathname + url.search + url.hash : "/";
}
