import { describe, expect, it } from "vitest";
import { parameterText } from "./parameters";

// Expected values: Heat 19's str(Parameter) for the same type and value (heat.engine.parameters, run with /usr/bin/python3).
const heat: [Parameters<typeof parameterText>[0], unknown, string][] = [
  ["number", "12345678901234567890", "12345678901234567890"],
  ["number", "1.0", "1.0"],
  ["number", "1e20", "1e+20"],
  ["number", "1.5e3", "1500.0"],
  ["number", "nan", "nan"],
  ["comma_delimited_list", "a, b ,c", "a, b ,c"],
  ["json", { é: "ü", f: 1.5 }, '{"\\u00e9": "\\u00fc", "f": 1.5}'],
  ["json", "[1, 2.50]", "[1, 2.5]"],
  ["string", 5, "5"],
  ["boolean", "yes", "True"],
];

describe("parameterText against Heat's str()", () => {
  it.each(heat)("%s %j", (type, value, expected) => {
    expect(parameterText(type, value)).toBe(expected);
  });
});
