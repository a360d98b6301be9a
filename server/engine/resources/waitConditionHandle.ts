import { allowedValues, attr, prop, supported, type ResourceTypeSchema } from "./schema";

export const handleSignalTransports = ["CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL", "TOKEN_SIGNAL"];

/** Receives the signals an OS::Heat::WaitCondition waits for. */
export const waitConditionHandle: ResourceTypeSchema = {
  type: "OS::Heat::WaitConditionHandle",
  description: "An endpoint that servers or scripts signal to complete a wait condition.",
  properties: {
    signal_transport: prop.string("How signals reach the handle.", {
      default: "TOKEN_SIGNAL",
      constraints: [allowedValues(handleSignalTransports)],
      supportStatus: supported("6.0.0"),
    }),
  },
  attributes: {
    token: attr("Token to authenticate signals with (TOKEN_SIGNAL only).", "String"),
    endpoint: attr("URL to send signals to (TOKEN_SIGNAL only).", "String"),
    curl_cli: attr("A ready-made curl command prefix that sends a signal (TOKEN_SIGNAL only).", "String"),
    signal: attr("JSON with everything a client needs to send a signal with the chosen transport.", "String"),
  },
  supportStatus: supported("2014.2"),
};
