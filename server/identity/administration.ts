/** What an administrator does: create users and projects, and give users roles in projects. */
import { OperationRefused } from "../engine/convergence/engineContext";
import { NotFound } from "../services/stacks";
import { isUniqueViolation } from "../store/prismaStateStore";
import type { IdentityStore } from "./identityStore";
import { hashPassword } from "./passwords";
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

export async function addRole(store: IdentityStore, userName: string, projectName: string, role: Role) {
  const user = await store.userByName(userName);
  if (!user) throw new NotFound(`User "${userName}" not found`);
  const project = (await store.allProjects()).find((p) => p.name === projectName || p.id === projectName);
  if (!project) throw new NotFound(`Project "${projectName}" not found`);
  await store.assignRole(user.id, project.id, role);
  return { user: user.name, project: project.name, role };
}
