/**
 * What must not be shown of a stack to a given caller: the values of hidden parameters (to
 * everyone), and credentials such as wait condition tokens (to callers who may only read).
 * The views in stacks.ts mask with this list (reasons and events are masked by the engine as
 * they are written, with the same hidden values); the rule itself is engine/template/hiddenValues.ts.
 */
import type { StackRecord } from "../engine/ports";
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
  let level = [rootStackId];
  for (let depth = 0; level.length && depth < 100; depth++) {
    const rows = (await Promise.all(level.map((id) => rt.store.listResources(id)))).flat();
    for (const row of rows) {
      for (const key of rt.engine.ctx.pluginForRow(row)?.credentials ?? []) {
        const value = row.data[key];
        if (typeof value === "string" && value !== "") out.push(value);
      }
    }
    level = (await rt.store.childStacks(rows.map((r) => r.id))).map((s) => s.id);
  }
  return out;
}

/** What a caller with this role in the stack's project may see. */
export const viewerFor = (role: Role): Viewer => ({ seesCredentials: roleAllows(role, "member") });
