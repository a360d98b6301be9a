/**
 * The tRPC client for a Kiln server, and the translation of whatever goes wrong talking to it
 * into a CliFailure: unreachable (exit 3), invalid template (exit 1, with its problems), or
 * the server's message (exit 3).
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../api/root";
import type { TemplateProblem } from "../services/templates";
import { CliFailure, EXIT, UsageError } from "./exit";

export type KilnClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export const DEFAULT_URL = "http://localhost:3000";

/** `--url`, else KILN_URL, else localhost:3000; without a trailing slash. */
export function serverUrl(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = flag ?? env.KILN_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}" is not a URL (e.g. http://localhost:3000)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url "${raw}" must be an http:// or https:// URL`);
  return raw.replace(/\/+$/, "");
}

/** A client sending the token (and project) `auth` gives on every request. */
export function connect(url: string, auth: () => Promise<{ token: string; project: string | undefined }>): KilnClient {
  const headers = async () => {
    const { token, project } = await auth();
    return { authorization: `Bearer ${token}`, ...(project ? { "x-kiln-project": project } : {}) };
  };
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/api/trpc`, headers })] });
}

export const unreachable = (url: string) => new CliFailure(`cannot reach Kiln at ${url} (is the server running? set --url or KILN_URL)`, EXIT.api);

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

function isNetworkError(e: unknown): boolean {
  for (let c = e as { cause?: unknown; code?: unknown; message?: unknown } | undefined, depth = 0; c && depth < 5; c = c.cause as typeof c, depth++) {
    if (typeof c.code === "string" && NETWORK_CODES.has(c.code)) return true;
    if (c instanceof TypeError && c.message === "fetch failed") return true;
  }
  return false;
}

/** Runs one API call, turning its failure into a CliFailure. */
export async function call<T>(url: string, what: Promise<T>): Promise<T> {
  try {
    return await what;
  } catch (e) {
    throw await apiFailure(e, url);
  }
}

export async function apiFailure(e: unknown, url: string): Promise<CliFailure> {
  if (e instanceof CliFailure) return e;
  // Finding credentials (signing in with KILN_USERNAME, say) failed before the request left.
  if (e instanceof TRPCClientError && e.cause instanceof CliFailure) return e.cause;
  if (isNetworkError(e)) return unreachable(url);
  if (e instanceof TRPCClientError) {
    const data = e.data as { code?: string; problems?: TemplateProblem[] } | undefined;
    if (data?.problems?.length) {
      // Loaded only here: it brings the template engine, which most commands do not need.
      const { formatProblem } = await import("../services/templates");
      return new CliFailure("the template is not valid:", EXIT.failed, data.problems.map(formatProblem));
    }
    if (!data) return new CliFailure(`unexpected answer from ${url} (is it a Kiln server?): ${e.message}`, EXIT.api);
    // The server words its own errors, input validation included ("Invalid input: name: …").
    return new CliFailure(e.message, EXIT.api);
  }
  return new CliFailure((e as Error)?.message ?? String(e), EXIT.api);
}
