/**
 * The built-in identity: users, projects and roles in Kiln's database. Session tokens are
 * random and shown to their holder only; the database keeps their SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { projectNamed, type Caller, type Identity, type ProjectChoice, type SignedIn, type SignInKind } from "./identity";
import { IdentityStore } from "./identityStore";
import { passwordMatches } from "./passwords";
import type { Database } from "../store/database";

const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("hex");

export class BuiltInIdentity implements Identity {
  readonly store: IdentityStore;
  readonly signInKind: SignInKind = { identity: "built-in" };
  /** "signed-out" with the session's id, for connections opened with it (in this process). */
  private readonly events = new EventEmitter();

  constructor(db: Database, private readonly sessionMs: number) {
    this.store = new IdentityStore(db.prisma, db.provider);
  }

  administered(): IdentityStore {
    return this.store;
  }

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

  async callerFor(token: string | undefined, choice?: ProjectChoice): Promise<Caller | undefined> {
    if (!token) return undefined;
    const sessionId = sessionIdOf(token);
    const user = await this.store.sessionUser(sessionId, new Date());
    if (!user) return undefined;
    const held = await this.store.rolesOf(user.userId);
    const isAdmin = held.some((p) => p.role === "admin");
    const projects = isAdmin ? (await this.store.allProjects()).map((p) => ({ ...p, role: "admin" as const })) : held;
    const chosen = choice && projectNamed(projects, choice.ref);
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
