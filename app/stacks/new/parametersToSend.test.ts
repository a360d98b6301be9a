import { describe, expect, it } from "vitest";
import type { ParameterSchema } from "./ParameterField";
import { parametersToSend } from "./parametersToSend";

const param = (name: string, type: ParameterSchema["type"], extra: Partial<ParameterSchema> = {}) => ({ name, type, hidden: false, constraints: [], ...extra }) as ParameterSchema;

describe("the parameters the new-stack form and the designer send", () => {
  const schema = [
    param("size", "number", { default: 3 }),
    param("flavor", "string", { default: "m1.tiny" }),
    param("tags", "comma_delimited_list"),
    param("debug", "boolean"),
    param("verbose", "boolean", { default: true }),
  ];

  it("sends what the user set, and leaves untouched fields to the default the stack would take anyway", () => {
    expect(parametersToSend(schema, { size: "5", tags: "a,b" })).toEqual({ size: "5", tags: "a,b", debug: false });
  });

  it("a cleared field is not sent; a boolean without a default sends the false its unticked box shows", () => {
    expect(parametersToSend(schema, { flavor: "", verbose: false })).toEqual({ debug: false, verbose: false });
  });

  it("does not turn a default into an explicit value, which an update keeping the stack's values would pin", () => {
    expect(parametersToSend([param("size", "number", { default: 3 })], {})).toEqual({});
  });
});
