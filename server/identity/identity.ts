/**
 * What every door (tRPC, socket.io, the UI's pages, signing in) asks: who is calling, and in
 * which project with which role. Two implementations answer it: the built-in identity (users
 * in Kiln's database, builtInIdentity.ts) and Keystone (keystone/keystoneIdentity.ts), chosen
 * once at start (openIdentity.ts); no door knows which one it talks to.
 */
import type { IdentityStore, ProjectRole } from "./identityStore";
import type { Role } from "./roles";

export type { ProjectRole };

/** A project the caller may act in; its role is known for the project a request acts in, and, with the built-in identity, for all. */
export interface ProjectEntry {
  id: string;
  name: string;
  role?: Role;
}

export interface Caller {
  /** The session's id (its token's hash): what a live connection is closed by when the session ends. */
  sessionId: string;
  userId: string;
  userName: string;
  /** When the session ends: a live connection opened with it is closed then. */
  expiresAt: Date;
  /** Holds the admin role (built-in: somewhere, and then acts in every project; Keystone: in the project acted in). */
  isAdmin: boolean;
  /** The projects the caller may act in. */
  projects: ProjectEntry[];
  /** The project this request acts in; unset when the caller has none or asked for one not theirs. */
  project: ProjectRole | undefined;
  /** Why `project` is unset, for the answer. */
  projectProblem?: string;
  /** Keystone mode: the caller's token and their role names in `project`, which a new stack's trust is made from. */
  keystone?: { token: string; roles: string[] };
}

/** Which project a request asks for, by id or name; `strict` when a wrong one is an error rather than a stale preference. */
export interface ProjectChoice {
  ref: string;
  strict: boolean;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
}

/** Whose passwords signing in takes, for the login page: no secret, the page itself says as much. */
export type SignInKind = { identity: "built-in" } | { identity: "keystone"; defaultDomain: string };

export interface Identity {
  readonly signInKind: SignInKind;
  /** A new session for these credentials, or undefined; an unknown name and a wrong password look the same. `domain`: Keystone's user domain. */
  signIn(userName: string, password: string, domain?: string): Promise<SignedIn | undefined>;
  signOut(token: string): Promise<void>;
  /** Called with the id of every session this process ends. */
  onSignOut(listener: (sessionId: string) => void): void;
  /** The caller holding this token, acting in the project chosen (else their first), or undefined for no valid token. */
  callerFor(token: string | undefined, choice?: ProjectChoice): Promise<Caller | undefined>;
  /** Where administrators create users, projects and roles; throws ManagedElsewhere when Kiln does not keep them. */
  administered(): IdentityStore;
}

/** The identity service cannot be asked (unreachable, too slow, failing): the caller is unknown, not refused (503). */
export class IdentityUnavailable extends Error {}

/** Users, projects and roles live outside Kiln (Keystone): Kiln refuses to manage them (403). */
export class ManagedElsewhere extends Error {}

/** The first project whose id or name is `ref`. */
export const projectNamed = <P extends { id: string; name: string }>(projects: P[], ref: string) => projects.find((p) => p.id === ref) ?? projects.find((p) => p.name === ref);
