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

/** Like SoftwareConfig, with the config a map (for tools that read JSON or YAML). */
export const structuredConfig: ResourceTypeSchema = {
  ...softwareConfig,
  type: "OS::Heat::StructuredConfig",
  description: "Stores a configuration given as a data structure, and the inputs and outputs it declares.",
  properties: {
    ...softwareConfig.properties,
    config: prop.map("The configuration data structure, stored as JSON."),
  },
};

/** A cloud-init cloud-config document, stored as a software config. */
export const cloudConfig: ResourceTypeSchema = {
  type: "OS::Heat::CloudConfig",
  description: "Stores a cloud-init cloud-config document given as a map, formatted as YAML.",
  properties: {
    cloud_config: prop.map("The cloud-config data structure, formatted as YAML."),
  },
  attributes: softwareConfig.attributes,
  supportStatus: supported("2014.1"),
};

/** Several configs assembled into one multi-part MIME message, stored as a software config. */
export const multipartMime: ResourceTypeSchema = {
  type: "OS::Heat::MultipartMime",
  description: "Assembles configs (inline, or stored configs by id) into one multi-part MIME message.",
  properties: {
    group: prop.string("Which configuration tool on the server handles this config.", { default: "Heat::Ungrouped", supportStatus: supported("14.0.0") }),
    parts: prop.list("The message's parts.", {
      default: [],
      item: prop.map(undefined, {
        schema: {
          config: prop.string("The part's content, or the id of a stored config whose content it takes.", { required: true }),
          filename: prop.string("A file name for the part."),
          type: prop.string("Whether the part is text, or a multi-part message whose parts are appended.", {
            default: "text",
            constraints: [allowedValues(["text", "multipart"])],
          }),
          subtype: prop.string("The part's MIME subtype."),
        },
      }),
    }),
  },
  attributes: softwareConfig.attributes,
  supportStatus: supported("2014.1"),
};
