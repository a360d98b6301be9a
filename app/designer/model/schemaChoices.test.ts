import { describe, expect, it } from "vitest";
import type { TypeSchema } from "../components/Inspector";
import { attributeNames, likelyProperty } from "./schemaChoices";

const schema = (properties: Record<string, { type: string; required?: boolean }>, attributes: string[]): TypeSchema => ({
  resource_type: "T",
  properties: Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, { required: false, update_allowed: true, immutable: false, ...p }])),
  attributes: Object.fromEntries(attributes.map((a) => [a, { description: "" }])),
});

describe("what the designer's pickers offer first", () => {
  it("lists attributes sorted, with the catch-all show last", () => {
    expect(attributeNames(schema({}, ["value", "show", "output"]))).toEqual(["output", "value", "show"]);
  });

  it("feeds a new reference into a string property, a required one first", () => {
    expect(likelyProperty(schema({ action_wait_secs: { type: "map" }, value: { type: "string" } }, []))).toBe("value");
    expect(likelyProperty(schema({ name: { type: "string" }, key: { type: "string", required: true } }, []))).toBe("key");
    expect(likelyProperty(schema({ count: { type: "integer" } }, []))).toBe("count");
    expect(likelyProperty(schema({}, []))).toBe("");
  });

  it("feeds OS::Heat::Value its required value, not the type it picks from a list", () => {
    const value = schema({ type: { type: "string" }, value: { type: "any", required: true } }, ["value"]);
    value.properties.type.constraints = [{ allowed_values: ["string", "number"] }];
    expect(likelyProperty(value)).toBe("value");
  });
});
