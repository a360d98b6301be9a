/**
 * The Keystone v3 calls Kiln makes, as keystonemiddleware makes them for Heat: issue a token
 * for a password or rescope one to a project, validate a token (GET /v3/auth/tokens with
 * X-Subject-Token), list a token's projects, revoke a token. Every call has a time limit:
 * Keystone that does not answer, answers 5xx or refuses Kiln's own service user makes
 * IdentityUnavailable (the caller is unknown, not refused); a token Keystone rejects is
 * `undefined`.
 */
import { z } from "zod";
import { IdentityUnavailable } from "../identity";

/** Kiln's own Keystone user, the one that validates callers' tokens (keystonemiddleware's [keystone_authtoken] username, password, project_name, …). */
export interface ServiceUser {
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
}

export interface KeystoneConfig {
  /** The Identity v3 endpoint, e.g. http://keystone:5000/v3 (no trailing slash). */
  url: string;
  /** Without one, a token validates itself (Keystone's default policy lets a token's subject do so). */
  serviceUser: ServiceUser | undefined;
  /** How long a validation is reused (keystonemiddleware's token_cache_time), capped by the token's own expiry. */
  tokenCacheMs: number;
  /** The longest any one call to Keystone may take. */
  timeoutMs: number;
  /** The user domain of a sign-in that names none. */
  defaultDomain: string;
}

/** What a valid token says: who, scoped to which project (if any) with which role names, until when. */
export interface TokenInfo {
  userId: string;
  userName: string;
  expiresAt: Date;
  project: { id: string; name: string } | undefined;
  roles: string[];
}

export interface IssuedToken {
  token: string;
  info: TokenInfo;
}

const tokenBody = z.object({
  token: z.object({
    expires_at: z.string(),
    user: z.object({ id: z.string(), name: z.string() }),
    project: z.object({ id: z.string(), name: z.string() }).optional(),
    roles: z.array(z.object({ name: z.string() })).optional(),
  }),
});

const projectsBody = z.object({ projects: z.array(z.object({ id: z.string(), name: z.string(), enabled: z.boolean().optional() })) });

const infoOf = (body: unknown): TokenInfo => {
  const parsed = tokenBody.safeParse(body);
  if (!parsed.success) throw new IdentityUnavailable("Keystone's token is not what Identity v3 answers");
  const t = parsed.data.token;
  return { userId: t.user.id, userName: t.user.name, expiresAt: new Date(t.expires_at), project: t.project, roles: (t.roles ?? []).map((r) => r.name) };
};

interface Answer {
  status: number;
  subjectToken: string | null;
  body: string;
}

/** A service token is renewed this long before it expires, so a validation never races its expiry. */
const RENEW_MARGIN_MS = 60_000;

export class KeystoneClient {
  private service: Promise<IssuedToken> | undefined;
  /** When the service token expires, once it is issued. */
  private serviceExpiresAt: number | undefined;

  constructor(private readonly config: KeystoneConfig) {}

  /** A token for this user's password (unscoped unless the user has a default project), or undefined when Keystone refuses it. */
  async passwordToken(userName: string, password: string, domain: string): Promise<IssuedToken | undefined> {
    return this.issue({ identity: { methods: ["password"], password: { user: { name: userName, domain: { name: domain }, password } } } });
  }

  /** A token for the same user scoped to this project, or undefined when the user has no role there (or the token is no longer valid). */
  async rescoped(token: string, projectId: string): Promise<IssuedToken | undefined> {
    return this.issue({ identity: { methods: ["token"], token: { id: token } }, scope: { project: { id: projectId } } });
  }

  /** What Keystone says of this token, or undefined when it is not valid (unknown, expired, revoked, garbage). */
  async validate(token: string): Promise<TokenInfo | undefined> {
    for (let attempt = 0; ; attempt++) {
      const auth = this.config.serviceUser ? (await this.serviceToken()).token : token;
      const res = await this.call("GET", "/auth/tokens?nocatalog", { "x-auth-token": auth, "x-subject-token": token });
      if (res.status === 200) return infoOf(this.json(res));
      if (res.status === 404 || res.status === 400) return undefined;
      if (res.status === 401 && !this.config.serviceUser) return undefined;
      if (res.status === 401 && attempt === 0) {
        // Kiln's own token was refused (revoked, or Keystone's keys rotated): one new one, once.
        this.service = undefined;
        this.serviceExpiresAt = undefined;
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new IdentityUnavailable(`Keystone refuses to validate tokens for Kiln's service user (HTTP ${res.status}); check KILN_KEYSTONE_USERNAME and its roles (it needs the service or admin role)`);
      }
      throw this.failing(res.status);
    }
  }

  /** The projects the token's user holds a role in, or undefined when the token is not valid. */
  async projectsOf(token: string): Promise<{ id: string; name: string }[] | undefined> {
    const res = await this.call("GET", "/auth/projects", { "x-auth-token": token });
    if (res.status === 401 || res.status === 404) return undefined;
    if (res.status !== 200) throw this.failing(res.status);
    const parsed = projectsBody.safeParse(this.json(res));
    if (!parsed.success) throw new IdentityUnavailable("Keystone's answer to GET /v3/auth/projects is not what Identity v3 answers");
    return parsed.data.projects.filter((p) => p.enabled !== false).map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Revokes a token (its holder may revoke it); one already invalid is fine. */
  async revoke(token: string): Promise<void> {
    const res = await this.call("DELETE", "/auth/tokens", { "x-auth-token": token, "x-subject-token": token });
    if (res.status >= 500) throw this.failing(res.status);
  }

  private async issue(auth: unknown): Promise<IssuedToken | undefined> {
    const res = await this.call("POST", "/auth/tokens?nocatalog", { "content-type": "application/json" }, JSON.stringify({ auth }));
    if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 400) return undefined;
    if (res.status !== 201 && res.status !== 200) throw this.failing(res.status);
    if (!res.subjectToken) throw new IdentityUnavailable("Keystone issued a token without an X-Subject-Token header");
    return { token: res.subjectToken, info: infoOf(this.json(res)) };
  }

  /** Kiln's own token, scoped to its service project, renewed shortly before it expires; callers asking while it is issued share the one request. */
  private serviceToken(): Promise<IssuedToken> {
    if (this.service && !(this.serviceExpiresAt !== undefined && this.serviceExpiresAt - Date.now() <= RENEW_MARGIN_MS)) return this.service;
    const user = this.config.serviceUser!;
    const issuing = this.issue({
      identity: { methods: ["password"], password: { user: { name: user.username, domain: { name: user.userDomainName }, password: user.password } } },
      scope: { project: { name: user.projectName, domain: { name: user.projectDomainName } } },
    }).then((issued) => {
      if (!issued) throw new IdentityUnavailable(`Keystone refuses Kiln's service user "${user.username}" in project "${user.projectName}"; check KILN_KEYSTONE_USERNAME, KILN_KEYSTONE_PASSWORD and KILN_KEYSTONE_PROJECT_NAME`);
      if (this.service === issuing) this.serviceExpiresAt = issued.info.expiresAt.getTime();
      return issued;
    });
    this.service = issuing;
    this.serviceExpiresAt = undefined;
    issuing.catch(() => {
      if (this.service === issuing) this.service = undefined;
    });
    return issuing;
  }

  /** One request, its answer read whole within the time limit (so no connection is left holding an unread body). */
  private async call(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    try {
      const res = await fetch(`${this.config.url}${path}`, { method, headers: { accept: "application/json", ...headers }, body, redirect: "error", signal: AbortSignal.timeout(this.config.timeoutMs) });
      return { status: res.status, subjectToken: res.headers.get("x-subject-token"), body: await res.text() };
    } catch (e) {
      const timedOut = (e as Error).name === "TimeoutError";
      throw new IdentityUnavailable(
        timedOut ? `Keystone (${this.config.url}) did not answer within ${this.config.timeoutMs / 1000} s; try again later` : `Keystone (${this.config.url}) cannot be reached; try again later`,
      );
    }
  }

  private json(res: Answer): unknown {
    try {
      return JSON.parse(res.body);
    } catch {
      throw new IdentityUnavailable("Keystone answered with a body that is not JSON");
    }
  }

  private failing(status: number) {
    return new IdentityUnavailable(`Keystone (${this.config.url}) is failing (HTTP ${status}); try again later`);
  }
}
