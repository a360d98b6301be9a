import { describe, expect, it } from "vitest";
import { cellText, fieldTable, shortTime, table } from "./output";

describe("tables", () => {
  it("align columns inside +---+ borders", () => {
    expect(table(["Name", "Status"], [["web", "CREATE_COMPLETE"], ["database", "OK"]])).toBe(
      [
        "+----------+-----------------+",
        "| Name     | Status          |",
        "+----------+-----------------+",
        "| web      | CREATE_COMPLETE |",
        "| database | OK              |",
        "+----------+-----------------+",
      ].join("\n"),
    );
  });

  it("spread structured values over several lines of one row", () => {
    const t = fieldTable([["outputs", { a: 1, b: "x" }], ["id", "s1"]]).split("\n");
    expect(t).toContain("| outputs | a: 1  |");
    expect(t).toContain("|         | b: x  |");
  });

  it("show null as None, and empty structures compactly", () => {
    expect([cellText(null), cellText([]), cellText({}), cellText(true)]).toEqual(["None", "[]", "{}", "true"]);
  });

  it("show times to the second", () => {
    expect(shortTime("2026-11-25T15:30:01.123Z")).toBe("2026-11-25T15:30:01Z");
  });
});
