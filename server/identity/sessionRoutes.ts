/**
 * Signing in and out over plain HTTP, so the browser's session lives in an httpOnly cookie
 * that no script can read:
 *   POST   /api/session  {"username", "password"}  sets the cookie; with "client": "cli" the
 *                        answer carries the token instead (the CLI keeps it in its config);
 *                        in Keystone mode, "domain" names the user's domain (else the default)
 *   DELETE /api/session  ends the session of the cookie or bearer token, and clears the cookie
 *   GET    /api/session  whose passwords signing in takes (Kiln's own, or Keystone's and its
 *                        default domain), for the login page; open to anyone, as that page is
 */
import type http from "node:http";
import { z } from "zod";
import { readBody } from "../httpBody";
import type { Access } from "./access";
import { clearedSessionCookie, credentialsOf, sessionCookie } from "./credentials";
import { IdentityUnavailable } from "./identity";
import { MAX_PASSWORD_BYTES } from "./passwords";

export const SESSION_PATH = "/api/session";

const signInInput = z.object({
  username: z.string().min(1, "the user name is empty").max(200),
  password: z
    .string()
    .min(1, "the password is empty")
    .refine((p) => Buffer.byteLength(p) <= MAX_PASSWORD_BYTES, `at most ${MAX_PASSWORD_BYTES} bytes`),
  client: z.enum(["browser", "cli"]).default("browser"),
  domain: z.string().min(1).max(255).optional(),
});

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
};

export async function handleSession(access: Access, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    await answer(access, req, res);
  } catch (e) {
    if (!(e instanceof IdentityUnavailable)) throw e;
    // The cookie goes even when Keystone could not be told of a sign-out.
    send(res, 503, { error: e.message }, req.method === "DELETE" ? { "set-cookie": clearedSessionCookie() } : {});
  }
}

async function answer(access: Access, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method === "DELETE") {
    const { token } = credentialsOf(req.headers);
    if (token) await access.identity.signOut(token);
    return send(res, 200, { signedOut: true }, { "set-cookie": clearedSessionCookie() });
  }
  if (req.method === "GET") return send(res, 200, access.identity.signInKind);
  if (req.method !== "POST") return send(res, 405, { error: "Sign in with POST, sign out with DELETE" });
  const body = await readBody(req, 16 * 1024);
  if (body === undefined) return send(res, 413, { error: "A sign-in request is at most 16 KB" });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return send(res, 400, { error: "The body is not JSON" });
  }
  const parsed = signInInput.safeParse(json);
  if (!parsed.success) return send(res, 400, { error: `Invalid sign-in: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(the body)"}: ${i.message}`).join("; ")}` });
  const { username, password, client, domain } = parsed.data;
  // The socket's address, not a forwarded header: a header would let each guess claim a new address.
  const address = req.socket.remoteAddress ?? "";
  const wait = await access.signIns.waitSeconds(address, username);
  if (wait > 0) {
    return send(res, 429, { error: `Too many failed sign-ins from this address or for this user; try again in ${Math.ceil(wait / 60)} min` }, { "retry-after": String(wait) });
  }
  const session = await access.identity.signIn(username, password, domain);
  if (!session) {
    await access.signIns.failed(address, username);
    return send(res, 401, { error: "Wrong user name or password" });
  }
  await access.signIns.succeeded(username);
  if (client === "cli") return send(res, 200, { username, token: session.token, expiresAt: session.expiresAt.toISOString() });
  send(res, 200, { username, expiresAt: session.expiresAt.toISOString() }, { "set-cookie": sessionCookie(session.token, session.expiresAt, access.secureCookies) });
}
