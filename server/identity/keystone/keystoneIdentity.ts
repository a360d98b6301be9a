/**
 * Keystone mode (KILN_KEYSTONE_URL): Keystone says who a token's holder is, which projects
 * they may act in and with which roles; Kiln keeps no users. A token is a Keystone token,
 * from `openstack token issue` (X-Auth-Token or Bearer) or from signing in with a Keystone
 * password (the session cookie, `kiln login`). Kiln's project id is Keystone's project id.
 *
 * A request acts in the project it chooses (X-Kiln-Project, the UI's switcher), else the
 * token's own, else the user's first: for a project other than the token's, Kiln rescopes the
 * token there (POST /v3/auth/tokens with the token method), and the roles are the rescoped
 * token's.
 *
 * Validations are cached (like keystonemiddleware's token_cache_time): each answer, valid or
 * not, is reused for tokenCacheMs or until the token expires, whichever is sooner. So a token
 * revoked in Keystone keeps working in Kiln for up to tokenCacheMs (5 min by default); signing
 * out through Kiln revokes it in Keystone and forgets it at once (in this process).
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { ManagedElsewhere, projectNamed, type Caller, type Identity, type ProjectChoice, type ProjectEntry, type SignedIn, type SignInKind } from "../identity";
import type { IdentityStore } from "../identityStore";
import type { Role } from "../roles";
import { ExpiringCache } from "./expiringCache";
import { KeystoneClient, type IssuedToken, type KeystoneConfig, type TokenInfo } from "./keystoneClient";

/** Keystone role names that give a Kiln role; the strongest a token holds wins. */
const KILN_ROLE_OF: Record<string, Role> = { admin: "admin", member: "member", _member_: "member", reader: "reader" };
const STRENGTH: Role[] = ["reader", "member", "admin"];

export function kilnRoleOf(keystoneRoles: string[]): Role | undefined {
  const held = keystoneRoles.map((r) => KILN_ROLE_OF[r.toLowerCase()]).filter((r): r is Role => !!r);
  return held.sort((a, b) => STRENGTH.indexOf(b) - STRENGTH.indexOf(a))[0];
}

/** Tokens (and what was learnt of them) kept at most; past this the oldest are asked again. */
const MAX_CACHED = 10_000;

/** What a Keystone token can look like (Fernet and JWS tokens are a few hundred printable ASCII characters); anything else is not sent on. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,8192}$/;

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export class KeystoneIdentity implements Identity {
  private readonly keystone: KeystoneClient;
  private readonly events = new EventEmitter();
  /** By the token's hash: what Keystone said of it (undefined: not valid). */
  private readonly validations = new ExpiringCache<Promise<TokenInfo | undefined>>(MAX_CACHED);
  /** By the token's hash: the projects its user may act in. */
  private readonly projects = new ExpiringCache<Promise<ProjectEntry[] | undefined>>(MAX_CACHED);
  /** By the token's hash and a project id: the token rescoped there (undefined: no role there). */
  private readonly rescopes = new ExpiringCache<Promise<IssuedToken | undefined>>(MAX_CACHED);

  readonly signInKind: SignInKind;

  constructor(private readonly config: KeystoneConfig) {
    this.keystone = new KeystoneClient(config);
    this.signInKind = { identity: "keystone", defaultDomain: config.defaultDomain };
  }

  administered(): IdentityStore {
    throw new ManagedElsewhere(`Users, projects and roles are managed in Keystone (${this.config.url}), not by Kiln: use openstack user create, openstack project create and openstack role add`);
  }

  async signIn(userName: string, password: string, domain?: string): Promise<SignedIn | undefined> {
    const issued = await this.keystone.passwordToken(userName, password, domain ?? this.config.defaultDomain);
    if (!issued) return undefined;
    this.issued(issued);
    return { token: issued.token, expiresAt: issued.info.expiresAt };
  }

  /** A token Keystone has just issued needs no validating: what it said of it is kept as the validation. */
  private issued(issued: IssuedToken): IssuedToken {
    this.remember(this.validations, hashOf(issued.token), async () => issued.info, () => issued.info.expiresAt);
    return issued;
  }

  /** Revokes the token, and every rescoped one Kiln made of it, in Keystone; forgets them here first, so this process refuses them even if Keystone cannot be told. */
  async signOut(token: string): Promise<void> {
    if (!TOKEN_SHAPE.test(token)) return;
    const id = hashOf(token);
    const rescoped: string[] = [];
    for (const p of (await this.projects.get(id)?.catch(() => undefined)) ?? []) {
      const r = await this.rescopes.get(`${id}:${p.id}`)?.catch(() => undefined);
      if (r) rescoped.push(r.token);
      this.rescopes.delete(`${id}:${p.id}`);
    }
    for (const t of [token, ...rescoped]) this.validations.delete(hashOf(t));
    this.projects.delete(id);
    this.events.emit("signed-out", id);
    await Promise.all([token, ...rescoped].map((t) => this.keystone.revoke(t)));
  }

  onSignOut(listener: (sessionId: string) => void): void {
    this.events.on("signed-out", listener);
  }

  async callerFor(token: string | undefined, choice?: ProjectChoice): Promise<Caller | undefined> {
    if (!token || !TOKEN_SHAPE.test(token)) return undefined;
    const id = hashOf(token);
    const info = await this.validated(token);
    if (!info) return undefined;
    const projects = await this.remember(this.projects, id, () => this.keystone.projectsOf(token), (p) => (p ? info.expiresAt : new Date(0)));
    if (!projects) return undefined;
    const chosen = choice && projectNamed(projects, choice.ref);
    const target = chosen ?? (choice?.strict ? undefined : ((info.project && projectNamed(projects, info.project.id)) ?? projects[0]));
    const caller: Caller = { sessionId: id, userId: info.userId, userName: info.userName, expiresAt: info.expiresAt, isAdmin: false, projects, project: undefined };
    if (!target) {
      caller.projectProblem = choice?.strict ? `You have no role in a project "${choice.ref}"` : "You have no role in any project; ask a Keystone administrator for one";
      return caller;
    }
    const scoped = target.id === info.project?.id ? info : await this.scopedTo(token, target.id);
    const role = scoped && kilnRoleOf(scoped.roles);
    if (!role) {
      caller.projectProblem = `Your roles in project "${target.name}" (${scoped?.roles.join(", ") || "none"}) give no role in Kiln; it needs admin, member or reader`;
      return caller;
    }
    caller.project = { id: target.id, name: target.name, role };
    caller.keystone = { token, roles: scoped.roles };
    caller.isAdmin = role === "admin";
    caller.projects = projects.map((p) => (p.id === target.id ? { ...p, role } : p));
    return caller;
  }

  private validated(token: string): Promise<TokenInfo | undefined> {
    return this.remember(this.validations, hashOf(token), () => this.keystone.validate(token), (info) => info?.expiresAt);
  }

  /** What the token says once rescoped to this project; a rescoped token found invalid (revoked) is made again, once. */
  private async scopedTo(token: string, projectId: string): Promise<TokenInfo | undefined> {
    const key = `${hashOf(token)}:${projectId}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const rescoped = await this.remember(this.rescopes, key, () => this.keystone.rescoped(token, projectId).then((r) => r && this.issued(r)), (r) => r?.info.expiresAt);
      if (!rescoped) return undefined;
      const info = await this.validated(rescoped.token);
      if (info) return info;
      this.rescopes.delete(key);
    }
    return undefined;
  }

  /**
   * The cached answer for `key`, else `load`'s, kept for tokenCacheMs or until `expiry` of
   * the answer, whichever is sooner. Callers asking while it loads share the one request; a
   * failure to ask (IdentityUnavailable) is not kept.
   */
  private remember<T>(cache: ExpiringCache<Promise<T>>, key: string, load: () => Promise<T>, expiry: (value: T) => Date | undefined): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit;
    const loading = load();
    cache.set(key, loading, Date.now() + this.config.tokenCacheMs);
    loading.then(
      (value) => {
        if (cache.get(key) !== loading) return;
        const until = Math.min(Date.now() + this.config.tokenCacheMs, expiry(value)?.getTime() ?? Infinity);
        cache.set(key, loading, until);
      },
      () => {
        if (cache.get(key) === loading) cache.delete(key);
      },
    );
    return loading;
  }
}
