import { allowedValues, attr, prop, supported, type ResourceTypeSchema } from "./schema";

export const deploymentActions = ["CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME"];
export const deploymentSignalTransports = ["CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL"];

/** Applies a SoftwareConfig to a server and waits for the server to report back. */
export const softwareDeployment: ResourceTypeSchema = {
  type: "OS::Heat::SoftwareDeployment",
  description: "Applies a software config to a server with input values, and completes when the server reports the result.",
  properties: {
    config: prop.string("Id of the software config to apply.", { updateAllowed: true }),
    server: prop.string("Id of the server to apply it to.", { required: true }),
    input_values: prop.map("Values for the config's inputs.", { updateAllowed: true }),
    actions: prop.list("The lifecycle actions of this resource that trigger the deployment.", {
      default: ["CREATE", "UPDATE"],
      updateAllowed: true,
      constraints: [allowedValues(deploymentActions)],
    }),
    name: prop.string("Name of the derived config; deployments on a server are applied in name order.", {
      updateAllowed: true,
    }),
    signal_transport: prop.string("How the server reports the deployment's outputs back.", {
      default: "CFN_SIGNAL",
      constraints: [allowedValues(deploymentSignalTransports)],
    }),
  },
  attributes: {
    deploy_stdout: attr("Standard output of the configuration run.", "String"),
    deploy_stderr: attr("Standard error of the configuration run.", "String"),
    deploy_status_code: attr("Exit status of the configuration run.", "String"),
  },
  supportStatus: supported("2014.1"),
  // get_attr may also name any output the applied config declares.
  dynamicAttributes: true,
};
