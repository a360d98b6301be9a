import { randomUUID } from "node:crypto";
import { noneResource } from "../none";
import { done, type ResourcePlugin } from "../plugin";

/** Accepts anything and does nothing; never updated or replaced by a change of its properties. */
export const nonePlugin: ResourcePlugin = {
  ...noneResource,
  create: (ctx) => done({ physicalId: (ctx.data.id as string | undefined) ?? randomUUID() }),
  update: () => done(),
  delete: () => done(),
  needsReplacement: () => false,
};
