import { attr, customConstraint, prop, supported, type ResourceTypeSchema } from "./schema";

/** Stores a string and can be told to wait or fail: the workhorse of engine tests. */
export const testResource: ResourceTypeSchema = {
  type: "OS::Heat::TestResource",
  description: "Keeps the string it is given and can simulate delays and failures, for testing stacks.",
  properties: {
    value: prop.string("The string to keep; exposed as the `output` attribute.", {
      default: "test_string",
      updateAllowed: true,
    }),
    update_replace_value: prop.string("A string whose change forces replacement rather than an in-place update.", {
      supportStatus: supported("7.0.0"),
    }),
    fail: prop.boolean("When true, the current operation on the resource fails.", {
      default: false,
      updateAllowed: true,
    }),
    update_replace: prop.boolean("When true, an update replaces the resource instead of updating it.", {
      default: false,
      updateAllowed: true,
    }),
    wait_secs: prop.number("Seconds to wait after each action; -1 waits forever.", {
      default: 0,
      updateAllowed: true,
    }),
    action_wait_secs: prop.map("Per-action waits, overriding wait_secs for the actions given.", {
      updateAllowed: true,
      schema: {
        create: prop.number("Seconds to wait after create (default: wait_secs).", { updateAllowed: true }),
        update: prop.number("Seconds to wait after update (default: wait_secs).", { updateAllowed: true }),
        delete: prop.number("Seconds to wait after delete (default: wait_secs).", { updateAllowed: true }),
      },
    }),
    client_name: prop.string("Name of a client whose readiness is checked.", { default: "", updateAllowed: true }),
    entity_name: prop.string("Name of the client entity whose readiness is checked.", { default: "", updateAllowed: true }),
    constraint_prop_secs: prop.number("Seconds the custom constraint check takes to resolve.", {
      default: 0,
      updateAllowed: true,
      constraints: [customConstraint("test_constr")],
      supportStatus: supported("6.0.0"),
    }),
    attr_wait_secs: prop.number("Seconds reading the `output` attribute takes.", {
      default: 0,
      updateAllowed: true,
      supportStatus: supported("6.0.0"),
    }),
  },
  attributes: {
    output: attr("The stored string; get_resource on the resource gives it too."),
  },
  supportStatus: supported("5.0.0"),
};
