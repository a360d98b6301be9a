import { describe, expect, it } from "vitest";
import type { ParameterSchema } from "./ParameterField";
import { parametersToSend } from "./parametersToSend";

const param = (name: string, type: ParameterSchema["type"], extra: Partial<ParameterSchema> = {}) => ({ name, type, hidden: false, constraints: [], ...extra }) as ParameterSchema;

describe("the parameters the new-stack form and the designer send", () => {
  const schema = [
    param("size", "number", { default: 3 }),
    param("flavor", "string", { default: "m1.tiny" }),
    param("tags", "comma_delimited_list", { default: ["a", "b"] }),
    param("note", "string"),
    param("debug", "boolean"),
  ];

  it("sends what each field shows: what the user typed, else the value it started with", () => {
    expect(parametersToSend(schema, { size: "5" })).toEqual({ size: "5", flavor: "m1.tiny", tags: "a,b", debug: false });
  });

  it("an emptied field, or one with no default left empty, is not sent", () => {
    expect(parametersToSend(schema, { flavor: "", note: "" })).toEqual({ size: "3", tags: "a,b", debug: false });
  });

  it("a ticked or unticked box sends its boolean", () => {
    expect(parametersToSend([param("debug", "boolean", { default: true })], { debug: false })).toEqual({ debug: false });
  });
});
