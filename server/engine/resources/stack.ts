import { attr, prop, supported, type ResourceTypeSchema } from "./schema";
import { MAX_STACK_TIMEOUT_MINS } from "../limits";

/** A stack created from a template given inline, managed as one resource. */
export const stackResource: ResourceTypeSchema = {
  type: "OS::Heat::Stack",
  description: "Creates a stack from a template and manages it as a single resource.",
  properties: {
    context: prop.map("Where and with which credentials the stack is created.", {
      updateAllowed: true,
      schema: {
        region_name: prop.string("Region to create the stack in."),
        credential_secret_id: prop.string("Id of a secret holding credentials for a remote cloud.", { updateAllowed: true }),
        ca_cert: prop.string("CA certificate to verify the remote endpoint with.", { updateAllowed: true }),
        insecure: prop.boolean("Skip verifying the remote endpoint's certificate.", { default: false, updateAllowed: true }),
      },
    }),
    template: prop.string("The template of the stack.", { required: true, updateAllowed: true }),
    timeout: prop.integer(`Minutes each operation of the stack may take, 1 to ${MAX_STACK_TIMEOUT_MINS}; the default stack timeout when not given.`, { updateAllowed: true }),
    parameters: prop.map("Parameter values for the stack.", { default: {}, updateAllowed: true }),
  },
  attributes: {
    stack_name: attr("The created stack's name.", "String"),
    outputs: attr("The created stack's outputs, by name.", "Map"),
  },
  supportStatus: supported(),
};
