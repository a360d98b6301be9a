import { allowedValues, attr, prop, supported, type ResourceTypeSchema } from "./schema";

/** Evaluates an expression once and exposes the result as an attribute. */
export const valueResource: ResourceTypeSchema = {
  type: "OS::Heat::Value",
  description: "Holds the value of an expression, so other resources and outputs can share it.",
  properties: {
    value: prop.any("The expression whose result becomes the `value` attribute.", {
      required: true,
      updateAllowed: true,
    }),
    type: prop.string("How to interpret `value`.", {
      updateAllowed: true,
      constraints: [allowedValues(["string", "number", "comma_delimited_list", "json", "boolean"])],
    }),
  },
  attributes: {
    value: attr("The result of the `value` expression, typed according to `type`."),
  },
  supportStatus: supported("7.0.0"),
};
