/** The UI's sign-in page and where it sends you afterwards; shared by the server's redirects and the page itself. */
export const LOGIN_PAGE = "/login";

/** Only a path of this server: `next` must not send a freshly signed-in user to another site. */
export const safeNext = (next: string | null) => (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/");
