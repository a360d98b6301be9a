import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { defaultInputLimits } from "./engine/limits";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("input limits from the environment", () => {
  it("default to the documented values", () => {
    expect(loadConfig(env({}), []).limits).toEqual(defaultInputLimits);
  });

  it("are read from KILN_MAX_*", () => {
    const vars = { KILN_MAX_VALUE_BYTES: "2097152", KILN_MAX_REQUEST_BYTES: "8388608", KILN_MAX_FILE_BYTES: "65536", KILN_MAX_DEPTH: "50", KILN_MAX_ALIAS_NODES: "500" };
    expect(loadConfig(env(vars), []).limits).toEqual({ maxValueBytes: 2097152, maxRequestBytes: 8388608, maxFileBytes: 65536, maxDepth: 50, maxAliasNodes: 500 });
  });

  it("a bad value stops the process with a message naming it", () => {
    expect(() => loadConfig(env({ KILN_MAX_DEPTH: "100000" }), [])).toThrow(/KILN_MAX_DEPTH/);
    expect(() => loadConfig(env({ KILN_MAX_VALUE_BYTES: "lots" }), [])).toThrow(/KILN_MAX_VALUE_BYTES/);
  });
});
