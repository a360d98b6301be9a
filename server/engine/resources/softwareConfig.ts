import { allowedValues, attr, prop, supported, type PropertySchema, type ResourceTypeSchema } from "./schema";

const ioTypes = ["String", "Number", "CommaDelimitedList", "Json", "Boolean"];

const inputSchema: Record<string, PropertySchema> = {
  name: prop.string("The input's name.", { required: true }),
  description: prop.string("What the input is for."),
  type: prop.string("The input value's type.", { default: "String", constraints: [allowedValues(ioTypes)] }),
  default: prop.any("Value used when the deployment gives none."),
  replace_on_change: prop.boolean("Replace the deployment, rather than update it, when this input changes.", { default: false }),
};

const outputSchema: Record<string, PropertySchema> = {
  name: prop.string("The output's name.", { required: true }),
  description: prop.string("What the output holds."),
  type: prop.string("The output value's type.", { default: "String", constraints: [allowedValues(ioTypes)] }),
  error_output: prop.boolean("A value in this output marks the deployment as failed.", { default: false }),
};

/** An immutable piece of configuration, applied to servers by SoftwareDeployment. */
export const softwareConfig: ResourceTypeSchema = {
  type: "OS::Heat::SoftwareConfig",
  description: "Stores a configuration script or manifest and the inputs and outputs it declares.",
  properties: {
    group: prop.string("Which configuration tool on the server handles this config.", { default: "Heat::Ungrouped" }),
    config: prop.string("The script or manifest to run."),
    options: prop.map("Options for the configuration tool."),
    inputs: prop.list("The inputs the config expects.", { item: prop.map(undefined, { schema: inputSchema }) }),
    outputs: prop.list("The outputs the config produces.", { item: prop.map(undefined, { schema: outputSchema }) }),
  },
  attributes: {
    config: attr("The stored configuration.", "String"),
  },
  supportStatus: supported("2014.1"),
};
