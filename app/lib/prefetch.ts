/**
 * A page's first queries, started by its HTML: a small inline script asks for them as the
 * document arrives, and the API client (prefetchedLink in trpc.ts) answers the page's first
 * call of each from that response. The page's data then travels while its scripts load and
 * hydrate, not after. The browser makes the request, with its own session cookie, through the
 * same API and the same checks as any other call.
 */
import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";

/** One query as the page will call it: the same path and input, so the client can find it. */
export interface PageQuery {
  path: string;
  input: unknown;
}

declare global {
  interface Window {
    /** Responses the page's HTML asked for, by query, each taken once. */
    __kilnPrefetched?: Record<string, Promise<Response | undefined>>;
  }
}

const keyOf = (path: string, input: unknown) => `${path} ${JSON.stringify(input)}`;

/**
 * The script text that starts `queries` (a server component puts it in the page). JSON in an
 * inline script: `<` is escaped so that no input (a stack's name is in the URL) can end the script.
 * Never from the HTTP cache: Back and Forward would otherwise be answered with what this browser
 * read before, whoever was signed in then.
 */
export function prefetchScript(queries: PageQuery[]): string {
  const requests = queries.map((q) => [keyOf(q.path, q.input), `/api/trpc/${q.path}?input=${encodeURIComponent(JSON.stringify(q.input))}`]);
  const json = JSON.stringify(requests).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `(function(){var p=window.__kilnPrefetched=window.__kilnPrefetched||{};${json}.forEach(function(r){p[r[0]]=fetch(r[1],{cache:"no-store"}).catch(function(){})})})()`;
}

/** The prefetched response for this query, if the page's HTML asked for one; taken once, so a later call asks the server anew. */
function take(path: string, input: unknown): Promise<Response | undefined> | undefined {
  const store = typeof window === "undefined" ? undefined : window.__kilnPrefetched;
  const key = keyOf(path, input);
  const response = store?.[key];
  if (response) delete store[key];
  return response;
}

/**
 * Answers a query from its prefetched response when there is one. Anything but a plain success
 * (an error, a lost connection, an expired session) goes to the next link as if nothing had been
 * prefetched, so errors are handled in one place.
 */
export function prefetchedLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      const prefetched = op.type === "query" ? take(op.path, op.input) : undefined;
      if (!prefetched) return next(op);
      return observable((observer) => {
        let stopped = false;
        let fallback: { unsubscribe(): void } | undefined;
        void prefetched
          .then(async (res) => (res?.ok ? ((await res.json()) as { result?: { data?: unknown } }) : undefined))
          .catch(() => undefined)
          .then((body) => {
            if (stopped) return;
            if (body?.result && "data" in body.result) {
              observer.next({ result: { type: "data", data: body.result.data } });
              observer.complete();
            } else fallback = next(op).subscribe(observer);
          });
        return () => {
          stopped = true;
          fallback?.unsubscribe();
        };
      });
    };
}
