/**
 * Signing in to and out of a Kiln server (POST and DELETE /api/session), and the credentials
 * every other command sends: --token, else KILN_TOKEN, else KILN_USERNAME and KILN_PASSWORD
 * (a session for this command only, as openstack's OS_USERNAME and OS_PASSWORD), else the
 * token `kiln login` saved for the server.
 */
import { CliFailure, EXIT } from "./exit";
import { apiFailure } from "./client";
import { savedToken } from "./savedTokens";

type Env = Readonly<Record<string, string | undefined>>;

export const notSignedIn = (url: string) =>
  new CliFailure(`not signed in to ${url}: run kiln login --url ${url} (or set KILN_TOKEN, or KILN_USERNAME and KILN_PASSWORD)`, EXIT.api);

async function request(url: string, init: RequestInit): Promise<{ status: number; body: { token?: string; expiresAt?: string; error?: string } }> {
  try {
    const res = await fetch(`${url}/api/session`, init);
    return { status: res.status, body: (await res.json().catch(() => ({}))) as { token?: string; expiresAt?: string; error?: string } };
  } catch (e) {
    throw await apiFailure(e, url);
  }
}

/** `domain`: the user's Keystone domain, for a Kiln in Keystone mode (else the server's default). */
export async function signIn(url: string, username: string, password: string, domain?: string): Promise<{ token: string; expiresAt: string }> {
  const { status, body } = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password, client: "cli", ...(domain ? { domain } : {}) }),
  });
  if (status === 401) throw new CliFailure(`cannot sign in to ${url}: wrong user name or password`, EXIT.api);
  if (!body.token || !body.expiresAt) throw new CliFailure(`cannot sign in to ${url}: ${body.error ?? `the server answered ${status}`}`, EXIT.api);
  return { token: body.token, expiresAt: body.expiresAt };
}

export async function signOut(url: string, token: string): Promise<void> {
  const { status, body } = await request(url, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  if (status !== 200) throw new CliFailure(`cannot sign out of ${url}: ${body.error ?? `the server answered ${status}`}`, EXIT.api);
}

export interface CommandCredentials {
  token: string;
  /** Set when the session was opened for this command alone: it is closed when the command ends. */
  ephemeral: boolean;
}

export async function credentialsFor(url: string, flag: string | undefined, env: Env): Promise<CommandCredentials> {
  const given = flag ?? env.KILN_TOKEN;
  if (given) return { token: given, ephemeral: false };
  if (env.KILN_USERNAME && env.KILN_PASSWORD) return { token: (await signIn(url, env.KILN_USERNAME, env.KILN_PASSWORD, env.KILN_USER_DOMAIN_NAME || undefined)).token, ephemeral: true };
  const saved = savedToken(env, url);
  if (saved) return { token: saved.token, ephemeral: false };
  throw notSignedIn(url);
}
