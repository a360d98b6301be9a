/**
 * Where a request carries its credentials: the browser's httpOnly session cookie, or a token
 * (`Authorization: Bearer …`, the CLI; or `X-Auth-Token`, as OpenStack clients send a
 * Keystone token); and which project it acts in (the `X-Kiln-Project`
 * header, else the UI's project cookie).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ProjectChoice } from "./identity";

export const SESSION_COOKIE = "kiln_session";
/** Not a secret: the project the UI's switcher last chose, read by pages and the server alike. */
export const PROJECT_COOKIE = "kiln_project";
export const PROJECT_HEADER = "x-kiln-project";

/** `name=value` pairs of a Cookie header (RFC 6265: separated by ";", values possibly quoted and %-encoded). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!name || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

export interface Credentials {
  token: string | undefined;
  project: ProjectChoice | undefined;
}

export function credentialsOf(headers: IncomingHttpHeaders, given: { token?: unknown; project?: unknown } = {}): Credentials {
  const cookies = parseCookies(headers.cookie);
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
  const authToken = headers["x-auth-token"];
  const token = typeof given.token === "string" ? given.token : (bearer ?? (Array.isArray(authToken) ? authToken[0] : authToken) ?? cookies.get(SESSION_COOKIE));
  const header = headers[PROJECT_HEADER];
  const asked = typeof given.project === "string" ? given.project : Array.isArray(header) ? header[0] : header;
  const remembered = cookies.get(PROJECT_COOKIE);
  const project = asked ? { ref: asked, strict: true } : remembered ? { ref: remembered, strict: false } : undefined;
  return { token: token || undefined, project };
}

/** The Set-Cookie value of a session: httpOnly (no script reads it), SameSite=Lax, Secure behind https. */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export const clearedSessionCookie = () => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
