import { attr, prop, supported, type ResourceTypeSchema } from "./schema";

/** A nested stack of one resource per listed type, each after the one before unless concurrent. */
export const resourceChain: ResourceTypeSchema = {
  type: "OS::Heat::ResourceChain",
  description: "Creates one resource of each listed type, all with the same properties, in a nested stack.",
  properties: {
    // Each entry is checked as a type name by validation (Heat's schema gives the entries none).
    resources: prop.list("The members' types, in order: registered types, aliases from the resource registry, or provider templates.", {
      required: true,
      updateAllowed: true,
    }),
    concurrent: prop.boolean("Create the members all at once; when false, each member waits for the one before it.", { default: false }),
    resource_properties: prop.map("The properties every member is given."),
  },
  attributes: {
    refs: attr("The members' physical ids, in order.", "List"),
    attributes: attr("Member index to the value of the named attribute of that member.", "Map"),
  },
  supportStatus: supported("6.0.0"),
  // get_attr [chain, <member attribute>] and [chain, resource.N(.attr)] are valid too.
  dynamicAttributes: true,
};
