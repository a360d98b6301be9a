import { valueResource } from "../value";
import { done, type ResourceContext, type ResourcePlugin } from "../plugin";

const converge = (ctx: ResourceContext) =>
  done({ physicalId: ctx.physicalId ?? ctx.physicalName(), attributes: { value: ctx.properties.value } });

/** Exposes the result of its `value` expression as the `value` attribute; always updated in place. */
export const valuePlugin: ResourcePlugin = {
  ...valueResource,
  create: converge,
  update: converge,
  delete: () => done(),
  needsReplacement: () => false,
  actsInStoreOnly: true,
};
