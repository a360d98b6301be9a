/**
 * The built-in identity that every door (tRPC, socket.io, the UI's pages) asks: who is calling,
 * and in which project with which role. Session tokens are random and shown to their holder
 * only; the database keeps their SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { IdentityStore, type ProjectRole } from "./identityStore";
import { passwordMatches } from "./passwords";
import type { Database } from "../store/database";

export type { ProjectRole };

export interface Caller {
  userId: string;
  userName: string;
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
    await this.store.deleteSession(sessionIdOf(token));
  }

  /** The caller holding this token, acting in the project chosen (else their first), or undefined for no valid session. */
  async callerFor(token: string | undefined, choice?: ProjectChoice): Promise<Caller | undefined> {
    if (!token) return undefined;
    const user = await this.store.sessionUser(sessionIdOf(token), new Date());
    if (!user) return undefined;
    const held = await this.store.rolesOf(user.userId);
    const isAdmin = held.some((p) => p.role === "admin");
    const projects = isAdmin ? (await this.store.allProjects()).map((p) => ({ ...p, role: "admin" as const })) : held;
    const chosen = choice && projects.find((p) => p.id === choice.ref || p.name === choice.ref);
    const caller: Caller = { ...user, isAdmin, projects, project: chosen ?? projects[0] };
    if (choice?.strict && !chosen) {
      caller.project = undefined;
      caller.projectProblem = `You have no role in a project "${choice.ref}"`;
    } else if (!caller.project) {
      caller.projectProblem = "You have no role in any project; ask an administrator for one";
    }
    return caller;
  }
}
