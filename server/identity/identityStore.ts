/** Users, projects, role assignments and sessions in Kiln's database (the built-in identity). */
import { randomUUID } from "node:crypto";
import type { Prisma } from "../store/database";
import type { Prisma as PrismaTypes } from "../store/generated/sqlite";
import type { Provider } from "../store/schemaFiles";
import { isRole, type Role } from "./roles";

export interface ProjectRole {
  id: string;
  name: string;
  role: Role;
}

export interface SessionUser {
  userId: string;
  userName: string;
  expiresAt: Date;
}

/** Projects stacks were created in before Kiln had identity. */
export const PROJECT_BEFORE_IDENTITY = "default";

/** pg_advisory_xact_lock key serialising changes that may take the admin role away ("kiln.adm" in ASCII). */
const ADMIN_CHANGE_LOCK_KEY = 0x6b696c6e2e61646dn;

export class IdentityStore {
  constructor(
    private readonly prisma: Prisma | PrismaTypes.TransactionClient,
    private readonly provider: Provider,
  ) {}

  /** The client outside any transaction: what a store made by keepingAnAdmin for its change does not offer. */
  private get root(): Prisma {
    if (!("$transaction" in this.prisma)) throw new Error("a transaction of its own inside keepingAnAdmin's");
    return this.prisma;
  }

  /**
   * Runs `change` in one transaction and keeps it only while someone still holds the admin
   * role; otherwise throws `refused()` and changes nothing. Such changes run one at a time in
   * every process, so two that each take away one of the last two admins cannot both pass:
   * PostgreSQL serialises them with a transaction-scoped advisory lock; SQLite with its write
   * lock, taken by the transaction's first statement (in this process the adapter already runs
   * one transaction at a time).
   */
  async keepingAnAdmin<T>(change: (store: IdentityStore) => Promise<T>, refused: () => Error): Promise<T> {
    return this.root.$transaction(
      async (tx) => {
        if (this.provider === "postgresql") await tx.$queryRawUnsafe(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${BigInt.asIntN(64, ADMIN_CHANGE_LOCK_KEY)})`);
        else await tx.$executeRawUnsafe(`UPDATE "RoleAssignment" SET "role" = "role" WHERE 1 = 0`);
        const adminsBefore = (await new IdentityStore(tx, this.provider).adminUserIds()).size;
        const result = await change(new IdentityStore(tx, this.provider));
        if (adminsBefore > 0 && (await new IdentityStore(tx, this.provider).adminUserIds()).size === 0) throw refused();
        return result;
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
  }

  userByName(name: string) {
    return this.prisma.user.findUnique({ where: { name } });
  }

  async hasUsers(): Promise<boolean> {
    return (await this.prisma.user.count()) > 0;
  }

  /**
   * The first start: an admin user holding the admin role in its own project, which also takes
   * over every stack made before identity existed. Throws on a unique-name conflict when
   * another process did it first.
   */
  async createFirstAdmin(userName: string, projectName: string, passwordHash: string): Promise<void> {
    const userId = randomUUID();
    const projectId = randomUUID();
    const moved = { where: { projectId: PROJECT_BEFORE_IDENTITY }, data: { projectId } };
    await this.root.$transaction([
      this.prisma.user.create({ data: { id: userId, name: userName, passwordHash } }),
      this.prisma.project.create({ data: { id: projectId, name: projectName } }),
      this.prisma.roleAssignment.create({ data: { userId, projectId, role: "admin" } }),
      this.prisma.stack.updateMany(moved),
      this.prisma.resource.updateMany(moved),
      this.prisma.rawTemplate.updateMany(moved),
      this.prisma.event.updateMany(moved),
    ]);
  }

  async createUser(name: string, passwordHash: string): Promise<string> {
    const id = randomUUID();
    await this.prisma.user.create({ data: { id, name, passwordHash } });
    return id;
  }

  async createProject(name: string): Promise<string> {
    const id = randomUUID();
    await this.prisma.project.create({ data: { id, name } });
    return id;
  }

  async assignRole(userId: string, projectId: string, role: Role): Promise<void> {
    await this.prisma.roleAssignment.upsert({
      where: { userId_projectId: { userId, projectId } },
      create: { userId, projectId, role },
      update: { role },
    });
  }

  /** The projects a user holds a role in, by name. */
  async rolesOf(userId: string): Promise<ProjectRole[]> {
    const rows = await this.prisma.roleAssignment.findMany({ where: { userId }, include: { project: true } });
    return rows
      .filter((r) => isRole(r.role))
      .map((r) => ({ id: r.projectId, name: r.project.name, role: r.role as Role }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every user with the roles they hold, by name. */
  async allUsers(): Promise<{ id: string; name: string; createdAt: Date; roles: ProjectRole[] }[]> {
    const users = await this.prisma.user.findMany({ orderBy: { name: "asc" }, include: { roles: { include: { project: true } } } });
    return users.map((u) => ({
      id: u.id,
      name: u.name,
      createdAt: u.createdAt,
      roles: u.roles
        .filter((r) => isRole(r.role))
        .map((r) => ({ id: r.projectId, name: r.project.name, role: r.role as Role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }));
  }

  /** The users holding the admin role in some project. */
  async adminUserIds(): Promise<Set<string>> {
    const rows = await this.prisma.roleAssignment.findMany({ where: { role: "admin" }, select: { userId: true } });
    return new Set(rows.map((r) => r.userId));
  }

  /** Deletes the user; their roles and sessions go with them. */
  async deleteUser(id: string): Promise<void> {
    await this.prisma.user.deleteMany({ where: { id } });
  }

  /** Sets the password and ends the user's sessions, all but `keepSession` (the one changing it). */
  async setPasswordHash(userId: string, passwordHash: string, keepSession?: string): Promise<void> {
    await this.root.$transaction([
      this.prisma.user.update({ where: { id: userId }, data: { passwordHash } }),
      this.prisma.session.deleteMany({ where: { userId, ...(keepSession ? { id: { not: keepSession } } : {}) } }),
    ]);
  }

  async removeRole(userId: string, projectId: string): Promise<boolean> {
    return (await this.prisma.roleAssignment.deleteMany({ where: { userId, projectId } })).count > 0;
  }

  /**
   * Deletes the project; the roles in it and its OpenStack credentials go with it (its stacks
   * must be gone first). Run within keepingAnAdmin, which makes the two statements one change.
   */
  async deleteProject(id: string): Promise<void> {
    await this.prisma.projectCloud.deleteMany({ where: { projectId: id } });
    await this.prisma.project.deleteMany({ where: { id } });
  }

  async projectsWithMembers(): Promise<{ id: string; name: string; createdAt: Date; members: number }[]> {
    const projects = await this.prisma.project.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { roles: true } } } });
    return projects.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, members: p._count.roles }));
  }

  async allProjects(): Promise<{ id: string; name: string }[]> {
    return this.prisma.project.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  }

  /** Also clears out sessions that have expired, so abandoned ones do not pile up. */
  async createSession(id: string, userId: string, expiresAt: Date): Promise<void> {
    await this.prisma.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    await this.prisma.session.create({ data: { id, userId, expiresAt } });
  }

  /** The user of a session that has not expired; an expired one is deleted on the way. */
  async sessionUser(id: string, now: Date): Promise<SessionUser | undefined> {
    const session = await this.prisma.session.findUnique({ where: { id }, include: { user: { select: { name: true } } } });
    if (!session) return undefined;
    if (session.expiresAt <= now) {
      await this.deleteSession(id);
      return undefined;
    }
    return { userId: session.userId, userName: session.user.name, expiresAt: session.expiresAt };
  }

  async deleteSession(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }
}
