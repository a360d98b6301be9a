import { allowedValues, attr, prop, supported, type ResourceTypeSchema } from "./schema";
import { batchCreate, rollingUpdate } from "./resourceGroup";

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

/** Like SoftwareDeployment, substituting get_input in a StructuredConfig with the input values. */
export const structuredDeployment: ResourceTypeSchema = {
  ...softwareDeployment,
  type: "OS::Heat::StructuredDeployment",
  description: "Applies a structured config to a server, replacing its get_input calls with the input values.",
  properties: {
    ...softwareDeployment.properties,
    input_key: prop.string("The key that marks an input to substitute in the config.", { default: "get_input" }),
    input_values_validate: prop.string("STRICT: an input the config asks for that has no value fails the deployment; LAX: it becomes null.", {
      default: "LAX",
      constraints: [allowedValues(["LAX", "STRICT"])],
    }),
  },
};

const groupAttributes = {
  deploy_stdouts: attr("Member name to the standard output of its configuration run.", "Map"),
  deploy_stderrs: attr("Member name to the standard error of its configuration run.", "Map"),
  deploy_status_codes: attr("Member name to the exit status of its configuration run.", "Map"),
};

const { server: _server, ...deploymentProperties } = softwareDeployment.properties;
const { server: _structuredServer, ...structuredProperties } = structuredDeployment.properties;
const serversProperty = prop.map("Names to server ids: one deployment per entry, named after its key.", { required: true, updateAllowed: true });

/** One SoftwareDeployment per server, in a nested stack. */
export const softwareDeploymentGroup: ResourceTypeSchema = {
  type: "OS::Heat::SoftwareDeploymentGroup",
  description: "Applies a software config to each server of a map, one deployment per entry.",
  properties: { servers: serversProperty, ...deploymentProperties },
  attributes: groupAttributes,
  updatePolicy: {
    batch_create: batchCreate,
    rolling_update: rollingUpdate("When any property changes, update the deployments a batch at a time, the last server of the map first, rather than all at once."),
  },
  supportStatus: supported("5.0.0"),
  // get_attr may name any attribute of a member deployment: a map of member name to its value.
  dynamicAttributes: true,
};

/** One StructuredDeployment per server, in a nested stack. */
export const structuredDeploymentGroup: ResourceTypeSchema = {
  ...softwareDeploymentGroup,
  type: "OS::Heat::StructuredDeploymentGroup",
  description: "Applies a structured config to each server of a map, one deployment per entry.",
  properties: { servers: serversProperty, ...structuredProperties },
};
