import { supported, type ResourceTypeSchema } from "./schema";

/** Does nothing; mapping a type to it in resource_registry switches resources off. */
export const noneResource: ResourceTypeSchema = {
  type: "OS::Heat::None",
  description: "A placeholder that creates nothing. Map another type to it in an environment to disable those resources.",
  properties: {},
  uncheckedProperties: true,
  attributes: {},
  // It stands in for any type, so get_attr may name any attribute: each is null (as in Heat).
  dynamicAttributes: true,
  supportStatus: supported("5.0.0"),
};
