/** What an administrator does: create users and projects, and give users roles in projects. */
import { InvalidRequest, OperationRefused } from "../engine/errors";
import { NotFound } from "../services/stacks";
import { isUniqueViolation } from "../store/prismaStateStore";
import type { IdentityStore } from "./identityStore";
import { hashPassword, passwordMatches } from "./passwords";
import type { Role } from "./roles";

/** Throws OperationRefused (409) when the name is taken, as a duplicate stack name is. */
async function unique<T>(what: string, name: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if (isUniqueViolation(e)) throw new OperationRefused(`A ${what} named "${name}" already exists`);
    throw e;
  }
}

export async function createUser(store: IdentityStore, name: string, password: string) {
  const hash = await hashPassword(password);
  return { id: await unique("user", name, () => store.createUser(name, hash)), name };
}

export async function createProject(store: IdentityStore, name: string) {
  return { id: await unique("project", name, () => store.createProject(name)), name };
}

async function userNamed(store: IdentityStore, name: string) {
  const user = await store.userByName(name);
  if (!user) throw new NotFound(`User "${name}" not found`);
  return user;
}

async function projectNamed(store: IdentityStore, ref: string) {
  const project = (await store.allProjects()).find((p) => p.name === ref || p.id === ref);
  if (!project) throw new NotFound(`Project "${ref}" not found`);
  return project;
}

/**
 * Makes a change that may take the admin role from someone, refused (OperationRefused, and
 * nothing changed) when it would leave nobody holding it: then nobody could manage users again
 * short of editing the database. Checked after the change, in its transaction, so concurrent
 * changes in any process cannot together take the last admins.
 */
function keepAnAdmin<T>(store: IdentityStore, what: string, change: (store: IdentityStore) => Promise<T>): Promise<T> {
  return store.keepingAnAdmin(change, () => new OperationRefused(`${what} would leave no administrator; make someone else an admin first`));
}

/** Told which users' access just changed, so their live connections end (and come back re-checked). */
export type AccessEnded = (userIds: string[]) => void;

export async function addRole(store: IdentityStore, userName: string, projectName: string, role: Role, ended?: AccessEnded) {
  const user = await userNamed(store, userName);
  const project = await projectNamed(store, projectName);
  await keepAnAdmin(store, `Making ${user.name} a ${role} in ${project.name}`, (s) => s.assignRole(user.id, project.id, role));
  ended?.([user.id]);
  return { user: user.name, project: project.name, role };
}

export async function removeRole(store: IdentityStore, userName: string, projectName: string, ended?: AccessEnded) {
  const user = await userNamed(store, userName);
  const project = await projectNamed(store, projectName);
  const removed = await keepAnAdmin(store, `Taking ${user.name}'s role in ${project.name}`, (s) => s.removeRole(user.id, project.id));
  if (!removed) throw new NotFound(`${user.name} has no role in ${project.name}`);
  ended?.([user.id]);
  return { user: user.name, project: project.name };
}

export async function listUsers(store: IdentityStore) {
  return (await store.allUsers()).map((u) => ({
    name: u.name,
    createdAt: u.createdAt.toISOString(),
    roles: u.roles.map((r) => ({ project: r.name, role: r.role })),
  }));
}

/** `self`: the caller, who may not delete themselves (they would be signed out mid-sentence). */
export async function deleteUser(store: IdentityStore, name: string, self: string, ended?: AccessEnded) {
  const user = await userNamed(store, name);
  if (user.id === self) throw new OperationRefused("You cannot delete the user you are signed in as");
  await keepAnAdmin(store, `Deleting ${user.name}`, (s) => s.deleteUser(user.id));
  ended?.([user.id]);
  return { name: user.name };
}

/** An administrator sets someone's password: their sessions end, so whoever had it is out. */
export async function setPassword(store: IdentityStore, name: string, password: string, ended?: AccessEnded) {
  const user = await userNamed(store, name);
  await store.setPasswordHash(user.id, await hashPassword(password));
  ended?.([user.id]);
  return { name: user.name };
}

/** A user changes their own password, knowing the current one; their other sessions end. */
export async function changeOwnPassword(store: IdentityStore, caller: { userName: string; sessionId: string }, current: string, next: string, ended?: AccessEnded) {
  const user = await store.userByName(caller.userName);
  if (!user || !(await passwordMatches(current, user.passwordHash))) throw new InvalidRequest("The current password is not right");
  await store.setPasswordHash(user.id, await hashPassword(next), caller.sessionId);
  ended?.([user.id]);
  return { name: user.name };
}

export async function listProjects(store: IdentityStore) {
  return (await store.projectsWithMembers()).map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), members: p.members }));
}

/** Only an empty project goes: its stacks would otherwise be left with nobody able to see them. */
export async function deleteProject(store: IdentityStore, ref: string, stacksIn: (projectId: string) => Promise<number>, ended?: AccessEnded) {
  const project = await projectNamed(store, ref);
  const stacks = await stacksIn(project.id);
  if (stacks > 0) throw new OperationRefused(`Project ${project.name} still has ${stacks} stack${stacks === 1 ? "" : "s"}; delete them first`);
  const members = (await store.allUsers()).filter((u) => u.roles.some((r) => r.id === project.id)).map((u) => u.id);
  await keepAnAdmin(store, `Deleting project ${project.name}`, (s) => s.deleteProject(project.id));
  ended?.(members);
  return { name: project.name };
}
