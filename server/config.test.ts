import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { defaultInputLimits } from "./engine/limits";

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, []);

describe("the engine's limits in the configuration", () => {
  it("default to Heat's: 1000 resources per tree, 60-minute operations", () => {
    expect(load({}).limits).toMatchObject({ maxResourcesPerStack: 1000, stackTimeoutMins: 60 });
  });

  it("are read from the environment, -1 lifting the resource limit", () => {
    const config = load({ KILN_MAX_RESOURCES_PER_STACK: "-1", KILN_STACK_TIMEOUT_MINS: "5" });
    expect(config.limits).toMatchObject({ maxResourcesPerStack: -1, stackTimeoutMins: 5 });
  });

  it.each([
    ["KILN_MAX_RESOURCES_PER_STACK", "0"],
    ["KILN_MAX_RESOURCES_PER_STACK", "1e308"],
    ["KILN_STACK_TIMEOUT_MINS", "0"],
    ["KILN_STACK_TIMEOUT_MINS", "1.5"],
  ])("%s=%s stops the process with a message naming it", (name, value) => {
    expect(() => load({ [name]: value })).toThrow(name);
  });
});

describe("input limits from the environment", () => {
  it("default to the documented values", () => {
    expect(load({}).limits).toMatchObject(defaultInputLimits);
  });

  it("are read from KILN_MAX_*", () => {
    const vars = { KILN_MAX_VALUE_BYTES: "2097152", KILN_MAX_REQUEST_BYTES: "8388608", KILN_MAX_FILE_BYTES: "65536", KILN_MAX_DEPTH: "50", KILN_MAX_ALIAS_NODES: "500" };
    expect(load(vars).limits).toMatchObject({ maxValueBytes: 2097152, maxRequestBytes: 8388608, maxFileBytes: 65536, maxDepth: 50, maxAliasNodes: 500 });
  });

  it("a bad value stops the process with a message naming it", () => {
    expect(() => load({ KILN_MAX_DEPTH: "100000" })).toThrow(/KILN_MAX_DEPTH/);
    expect(() => load({ KILN_MAX_VALUE_BYTES: "lots" })).toThrow(/KILN_MAX_VALUE_BYTES/);
  });
});
