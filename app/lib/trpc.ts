"use client";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";
import { LOGIN_PAGE } from "../../server/identity/loginPage";
import { prefetchedLink } from "./prefetch";
import { setReachable } from "./reachability";

/** Set while this page signs out: the 401s of requests still in flight then mean nothing. */
let signingOut = false;

/** An expired or ended session: back to the login page, then to where the user was. */
export function toLogin() {
  if (signingOut) return;
  window.location.assign(`${LOGIN_PAGE}?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/** Ends the session and goes to the login page (not back to this page once signed in again). */
export async function signOut() {
  signingOut = true;
  await fetch("/api/session", { method: "DELETE" }).catch(() => {});
  window.location.assign(LOGIN_PAGE);
}

/** The browser's typed API client; types come from the server's router. The session travels in its httpOnly cookie. */
export const api = createTRPCClient<AppRouter>({
  links: [
    prefetchedLink<AppRouter>(),
    httpBatchLink({
      url: "/api/trpc",
      fetch: async (input, init) => {
        let res: Response;
        try {
          res = await fetch(input, init);
        } catch (e) {
          setReachable("fetch", false);
          throw e;
        }
        // A proxy in front of a stopped server answers 502-504: as unreachable as no answer.
        setReachable("fetch", res.status < 502 || res.status > 504);
        if (res.status === 401) toLogin();
        return res;
      },
    }),
  ],
});

/** What each procedure answers, as the router declares it: `ApiOutput["stacks"]["show"]`. */
export type ApiOutput = inferRouterOutputs<AppRouter>;
