import { describe, expect, it } from "vitest";
import { constraintProblems, parseFieldValue } from "./constraints";
import { record, redo, startHistory, undo } from "./history";
import { isMissingParameter, lineDiagnostics, problemsByResource, resourceOfPath } from "./problems";

describe("problems", () => {
  it("belong to the resource their path names, dotted names included", () => {
    expect(resourceOfPath("resources.a.properties.x", ["a", "a.b"])).toBe("a");
    expect(resourceOfPath("resources.a.b.type", ["a", "a.b"])).toBe("a.b");
    expect(resourceOfPath("outputs.x", ["a"])).toBeUndefined();
    expect(problemsByResource([{ path: "resources.a", message: "m" }], ["a"]).get("a")).toHaveLength(1);
  });

  it("a parameter waiting for its value is not a drawing problem", () => {
    expect(isMissingParameter({ path: "parameters.p", message: "The Parameter (p) was not provided: it has no default" })).toBe(true);
    expect(isMissingParameter({ path: "parameters.p", message: "bad type" })).toBe(false);
  });

  it("become editor diagnostics from the problem's column to the end of its line", () => {
    const text = "a: 1\nbb: 22\n";
    expect(lineDiagnostics(text, [{ path: "bb", line: 2, column: 5, message: "m" }], "error")).toEqual([{ from: 9, to: 11, severity: "error", message: "bb: m" }]);
    expect(lineDiagnostics(text, [{ path: "", message: "whole" }], "warning")[0]).toMatchObject({ from: 0, to: 4 });
  });
});

describe("constraints", () => {
  it("checks range, length, allowed values and pattern as Heat does", () => {
    expect(constraintProblems(5, [{ range: { min: 1, max: 3 } }])).toEqual(["must be between 1 and 3"]);
    expect(constraintProblems("abc", [{ length: { max: 2 }, description: "short please" }])).toEqual(["short please"]);
    expect(constraintProblems("x", [{ allowed_values: ["a", "b"] }])).toEqual(["must be one of a, b"]);
    expect(constraintProblems("ab1", [{ allowed_pattern: "[a-z]+" }])).toEqual(["must match [a-z]+"]);
    expect(constraintProblems("ab", [{ allowed_pattern: "[a-z]+" }, { custom_constraint: "x" }])).toEqual([]);
  });

  it("reads typed field text", () => {
    expect(parseFieldValue("integer", "12")).toBe(12);
    expect(parseFieldValue("integer", "1.5")).toBeInstanceOf(Error);
    expect(parseFieldValue("string", "")).toBeUndefined();
  });
});

describe("history", () => {
  it("undoes every step back to the start and redoes them", () => {
    let h = startHistory("a");
    h = record(h, "b");
    h = record(h, "b");
    h = record(h, "c");
    h = undo(undo(h));
    expect(h.present).toBe("a");
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe("b");
    h = record(h, "d");
    expect(h.future).toEqual([]);
  });
});
