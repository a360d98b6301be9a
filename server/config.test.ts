import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, []);

describe("the engine's limits in the configuration", () => {
  it("default to Heat's: 1000 resources per tree, 60-minute operations", () => {
    expect(load({}).limits).toEqual({ maxResourcesPerStack: 1000, stackTimeoutMins: 60 });
  });

  it("are read from the environment, -1 lifting the resource limit", () => {
    const config = load({ KILN_MAX_RESOURCES_PER_STACK: "-1", KILN_STACK_TIMEOUT_MINS: "5" });
    expect(config.limits).toEqual({ maxResourcesPerStack: -1, stackTimeoutMins: 5 });
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
