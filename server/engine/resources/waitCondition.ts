import { attr, prop, range, supported, type ResourceTypeSchema } from "./schema";

/** Completes once its handle has received `count` success signals. */
export const waitCondition: ResourceTypeSchema = {
  type: "OS::Heat::WaitCondition",
  description: "Waits until a wait condition handle has received enough success signals, or times out.",
  properties: {
    handle: prop.string("The OS::Heat::WaitConditionHandle that receives the signals.", { required: true }),
    timeout: prop.number("Seconds to wait for the signals.", { required: true, constraints: [range(1, 43200)] }),
    count: prop.integer("Success signals needed before the condition completes.", {
      default: 1,
      updateAllowed: true,
      constraints: [range(1)],
    }),
  },
  attributes: {
    data: attr("JSON of the data sent with the signals, by signal id.", "String"),
  },
  supportStatus: supported("2014.2"),
};
