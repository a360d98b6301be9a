/**
 * The built-in identity that every door (tRPC, socket.io, the UI's pages) asks: who is calling,
 * and in which project with which role. Session tokens are random and shown to their holder
 * only; the database keeps their SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { IdentityStore, type ProjectRole } from "./identityStore";
import { passwordMatches } from "./passwords";
import type { Database } from "../store/database";

export type { ProjectRole };

export interface Caller {
  /** The session's id (its token's hash): what a live connection is closed by when the session ends. */
  sessionId: string;
  userId: string;
  userName: string;
  /** When the session ends: a live connection opened with it is closed then. */
  expiresAt: Date;
  /** Holds the admin role somewhere: manages users and may act in every project. */
  isAdmin: boolean;
  /** The projects the caller may act in (for an admin, every project). */
  projects: ProjectRole[];
  /** The project this request acts in; unset when the caller has none or asked for one not theirs. */
  project: ProjectRole | undefined;
  /** Why `project` is unset, for the answer. */
  projectProblem?: string;
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

const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("hex");

export class Identity {
  readonly store: IdentityStore;
  /** "signed-out" with the session's id, for connections opened with it (in this process). */
  private readonly events = new EventEmitter();

  constructor(db: Database, private readonly sessionMs: number) {
    this.store = new IdentityStore(db.prisma);
  }

  /** A new session for these credentials, or undefined; an unknown name and a wrong password look the same. */
  async signIn(userName: string, password: string): Promise<SignedIn | undefined> {
    const user = await this.store.userByName(userName);
    if (!(await passwordMatches(password, user?.passwordHash)) || !user) return undefined;
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + this.sessionMs);
    await this.store.createSession(sessionIdOf(token), user.id, expiresAt);
    return { token, expiresAt };
  }

  async signOut(token: string): Promise<void> {
    const id = sessionIdOf(token);
    await this.store.deleteSession(id);
    this.events.emit("signed-out", id);
  }

  onSignOut(listener: (sessionId: string) => void): void {
    this.events.on("signed-out", listener);
  }

  /** The caller holding this token, acting in the project chosen (else their first), or undefined for no valid session. */
  async callerFor(token: string | undefined, choice?: ProjectChoice): Promise<Caller | undefined> {
    if (!token) return undefined;
    const sessionId = sessionIdOf(token);
    const user = await this.store.sessionUser(sessionId, new Date());
    if (!user) return undefined;
    const held = await this.store.rolesOf(user.userId);
    const isAdmin = held.some((p) => p.role === "admin");
    const projects = isAdmin ? (await this.store.allProjects()).map((p) => ({ ...p, role: "admin" as const })) : held;
    const chosen = choice && projects.find((p) => p.id === choice.ref || p.name === choice.ref);
    const caller: Caller = { sessionId, ...user, isAdmin, projects, project: chosen ?? projects[0] };
    if (choice?.strict && !chosen) {
      caller.project = undefined;
      caller.projectProblem = `You have no role in a project "${choice.ref}"`;
    } else if (!caller.project) {
      caller.projectProblem = "You have no role in any project; ask an administrator for one";
    }
    return caller;
  }
}
