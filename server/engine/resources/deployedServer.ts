import { allowedValues, attr, length, prop, supported, type ResourceTypeSchema } from "./schema";

export const softwareConfigTransports = ["POLL_SERVER_CFN", "POLL_SERVER_HEAT", "POLL_TEMP_URL", "ZAQAR_MESSAGE"];

/** A server that already exists (here: one running the Kiln agent) that deployments target. */
export const deployedServer: ResourceTypeSchema = {
  type: "OS::Heat::DeployedServer",
  description: "Represents an existing server, so software deployments can be applied to it.",
  properties: {
    name: prop.string("The server's name.", { updateAllowed: true }),
    metadata: prop.map("Free-form key/value metadata for the server (ignored).", {
      updateAllowed: true,
      supportStatus: {
        status: "DEPRECATED",
        version: "9.0.0",
        message: "This property will be ignored",
        previous: { status: "SUPPORTED", version: "8.0.0" },
      },
    }),
    software_config_transport: prop.string("How the server receives its software configuration metadata.", {
      default: "POLL_SERVER_CFN",
      updateAllowed: true,
      constraints: [allowedValues(softwareConfigTransports)],
    }),
    deployment_swift_data: prop.map("Object-store container and object holding deployment data.", {
      default: {},
      updateAllowed: true,
      supportStatus: supported("9.0.0"),
      schema: {
        container: prop.string("Container name.", { constraints: [length(1)] }),
        object: prop.string("Object name.", { constraints: [length(1)] }),
      },
    }),
  },
  attributes: {
    name: attr("The server's name.", "String"),
    os_collect_config: attr("Settings the server's agent uses to fetch its deployment data.", "Map", supported("9.0.0")),
  },
  supportStatus: supported(),
};
