/**
 * What must not be shown of a stack to a given caller: the values of hidden parameters (to
 * everyone), and credentials such as wait condition tokens (to callers who may only read).
 * The views in stacks.ts mask with this list (reasons and events are masked by the engine as
 * they are written, with the same hidden values); the rule itself is engine/template/hiddenValues.ts.
 */
import type { ResourceRecord, StackRecord } from "../engine/ports";
import { secretSet } from "../engine/template/hiddenValues";
import { roleAllows, type Role } from "../identity/roles";
import type { Runtime } from "./runtime";

export interface Viewer {
  /** Members and admins see the credentials of their project's resources; readers do not. */
  seesCredentials: boolean;
}

export async function secretsShownTo(rt: Runtime, stack: StackRecord, viewer: Viewer): Promise<string[]> {
  const hidden = await rt.engine.ctx.secrets(stack);
  if (viewer.seesCredentials) return hidden;
  return secretSet(hidden, await treeCredentials(rt, stack.rootStackId));
}

/** Credentials held by any resource of the tree: a token flows through get_attr into other resources and outputs. */
async function treeCredentials(rt: Runtime, rootStackId: string): Promise<string[]> {
  const out: string[] = [];
  await eachLevel(rt, rootStackId, (id) => rt.store.listResources(id), async (_stacks, rows) => {
    for (const row of rows) {
      for (const key of rt.engine.ctx.pluginForRow(row)?.credentials ?? []) {
        const value = row.data[key];
        if (typeof value === "string" && value !== "") out.push(value);
      }
    }
  });
  return out;
}

/**
 * What must not be shown of the files a stack was sent with: the values of every hidden
 * parameter of its tree, as well as those secretsShownTo names. An environment file among them
 * (the openstack CLI sends its `-e` files so) can hold a password only a nested template
 * declares hidden.
 */
export async function fileSecretsShownTo(rt: Runtime, stack: StackRecord, viewer: Viewer): Promise<string[]> {
  const hidden: (readonly string[])[] = [];
  // Ids alone find the nested stacks: their rows' sealed columns are not needed here.
  await eachLevel(rt, stack.rootStackId, (id) => rt.store.listResourceIds(id), async (stacks) => {
    for (const s of stacks) hidden.push((await rt.engine.ctx.definition(s.templateId, s).catch(() => undefined))?.hidden ?? []);
  });
  return secretSet(await secretsShownTo(rt, stack, viewer), ...hidden);
}

/** The tree's stacks, a level at a time, with what `read` gives of their resources (rows, or ids alone). */
async function eachLevel<R extends Pick<ResourceRecord, "id">>(rt: Runtime, rootStackId: string, read: (stackId: string) => Promise<R[]>, visit: (stacks: StackRecord[], rows: R[]) => Promise<void>) {
  const root = await rt.store.getStack(rootStackId);
  let level = root ? [root] : [];
  for (let depth = 0; level.length && depth < 100; depth++) {
    const rows = (await Promise.all(level.map((s) => read(s.id)))).flat();
    await visit(level, rows);
    level = await rt.store.childStacks(rows.map((r) => r.id));
  }
}

/** What a caller with this role in the stack's project may see. */
export const viewerFor = (role: Role): Viewer => ({ seesCredentials: roleAllows(role, "member") });
