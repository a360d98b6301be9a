import { attr, length, allowedValues, prop, range, supported, type PropertySchema, type ResourceTypeSchema } from "./schema";

/** A group's batch_create (ResourceGroup and the deployment groups). */
export const batchCreate = prop.map("Create the members a batch at a time rather than all at once.", {
  schema: {
    max_batch_size: prop.integer("The most members created in one batch.", { default: 1, constraints: [range(1)] }),
    pause_time: prop.number("Seconds to wait between batches.", { default: 0, constraints: [range(0)] }),
  },
});

/** A group's rolling_update: what it does, and the keys beside max_batch_size and pause_time. */
export const rollingUpdate = (description: string, more: Record<string, PropertySchema> = {}) =>
  prop.map(description, {
    schema: {
      ...more,
      max_batch_size: prop.integer("The most members updated in one batch.", { default: 1, constraints: [range(1)] }),
      pause_time: prop.number("Seconds to wait between batches.", { default: 0, constraints: [range(0)] }),
    },
  });

/** A nested stack of `count` identical members. */
export const resourceGroup: ResourceTypeSchema = {
  type: "OS::Heat::ResourceGroup",
  description: "Creates `count` copies of one resource definition in a nested stack.",
  properties: {
    count: prop.integer("How many members to create.", { default: 1, updateAllowed: true, constraints: [range(0)] }),
    index_var: prop.string("Placeholder replaced by each member's index inside resource_def.", {
      default: "%index%",
      constraints: [length(3)],
      supportStatus: supported("2014.2"),
    }),
    resource_def: prop.map("The definition every member is created from, as a resource would be written in a template.", {
      required: true,
      updateAllowed: true,
      schema: {
        type: prop.string("The members' resource type.", { required: true }),
        properties: prop.map("The members' properties."),
        metadata: prop.map("The members' metadata."),
      },
    }),
    removal_policies: prop.list("Which members to remove first when an update shrinks the group.", {
      default: [],
      updateAllowed: true,
      supportStatus: supported("2015.1"),
      item: prop.map("A removal policy.", {
        schema: {
          resource_list: prop.list("Members to remove, by member name, physical id or index.", { default: [] }),
        },
      }),
    }),
    removal_policies_mode: prop.string("Whether new removal_policies add to the remembered ones (append) or replace them (update).", {
      default: "append",
      updateAllowed: true,
      constraints: [allowedValues(["append", "update"])],
      supportStatus: supported("10.0.0"),
    }),
  },
  attributes: {
    refs: attr("The members' physical ids, in index order.", "List"),
    refs_map: attr("Member name to physical id.", "Map", supported("7.0.0")),
    attributes: attr("Member name to the value of the named attribute of that member.", "Map", supported("2014.2")),
    removed_rsrc_list: attr("Names of members removed so far.", "List", supported("7.0.0")),
  },
  updatePolicy: {
    batch_create: batchCreate,
    rolling_update: rollingUpdate("When resource_def changes, update the members a batch at a time, highest index first, rather than all at once.", {
      min_in_service: prop.integer("The fewest members kept in service while a batch is updated: new members are created first when needed.", { default: 0, constraints: [range(0)] }),
    }),
  },
  supportStatus: supported("2014.1"),
  // get_attr [group, <member attribute>] and [group, resource.N(.attr)] are valid too.
  dynamicAttributes: true,
};
