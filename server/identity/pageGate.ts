/**
 * The UI's pages for signed-in users only: a browser asking for a page without a session is
 * sent to /login (and back where it was going afterwards); a signed-in one asking for /login
 * goes home. Data never depends on this: every API call and socket checks for itself.
 */
import type http from "node:http";
import type { Access } from "./access";
import { LOGIN_PAGE, safeNext } from "./loginPage";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** Only page navigations are redirected; scripts, styles and images the login page needs pass. */
const isPageRequest = (req: http.IncomingMessage) => req.method === "GET" && (req.headers.accept ?? "").includes("text/html") && !req.url?.startsWith("/_next/");

export function gatePages(access: Access, pages: Handler): Handler {
  return async (req, res) => {
    if (!isPageRequest(req)) return pages(req, res);
    const url = new URL(req.url ?? "/", "http://kiln");
    const signedIn = !!(await access.callerOf(req).catch(() => undefined));
    if (url.pathname === LOGIN_PAGE) {
      if (!signedIn) return pages(req, res);
      return redirect(res, safeNext(url.searchParams.get("next")));
    }
    if (signedIn) return pages(req, res);
    redirect(res, `${LOGIN_PAGE}?next=${encodeURIComponent(url.pathname + url.search)}`);
  };
}

const redirect = (res: http.ServerResponse, location: string) => {
  res.writeHead(302, { location, "cache-control": "no-store" }).end();
};
