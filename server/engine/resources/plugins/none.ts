import { randomUUID } from "node:crypto";
import { noneResource } from "../none";
import { done, type ResourcePlugin } from "../plugin";

/**
 * Accepts anything and does nothing; a change of its properties, metadata or depends_on leaves
 * it as it is, with no update (Heat 19 answers so).
 */
export const nonePlugin: ResourcePlugin = {
  ...noneResource,
  create: (ctx) => done({ physicalId: (ctx.data.id as string | undefined) ?? randomUUID() }),
  delete: () => done(),
  takesChangesSilently: true,
  actsInStoreOnly: true,
};
