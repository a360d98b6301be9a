import { describe, expect, it } from "vitest";
import { matchEach, matches, PatternTooSlow } from "./userPattern";

describe("patterns users write", () => {
  it("match as RegExp.test does", () => {
    expect(matchEach(/^OS::Heat::/, ["OS::Heat::None", "AWS::EC2::Instance"])).toEqual([true, false]);
    expect(matches(/a+/g, "caa")).toBe(true);
  });

  it("one that backtracks catastrophically is stopped within a second, not left to hold the process", () => {
    const started = Date.now();
    expect(() => matches(/^(.*?)*(.*?)*(.*?)*y$/, "OS::Heat::SoftwareDeploymentGroup")).toThrow(PatternTooSlow);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(matches(/^x/, "xy")).toBe(true);
  });
});
