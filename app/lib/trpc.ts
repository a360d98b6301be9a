"use client";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";
import { LOGIN_PAGE } from "../../server/identity/loginPage";

/** An expired or ended session: back to the login page, then to where the user was. */
export function toLogin() {
  window.location.assign(`${LOGIN_PAGE}?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/** The browser's typed API client; types come from the server's router. The session travels in its httpOnly cookie. */
export const api = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/api/trpc",
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (res.status === 401) toLogin();
        return res;
      },
    }),
  ],
});

/** What each procedure answers, as the router declares it: `ApiOutput["stacks"]["show"]`. */
export type ApiOutput = inferRouterOutputs<AppRouter>;
