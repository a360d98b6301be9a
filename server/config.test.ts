import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { defaultInputLimits } from "./engine/limits";

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, []);

describe("the engine's limits in the configuration", () => {
  it("default to Heat's: 1000 resources per tree, 60-minute operations, 512 stacks per project", () => {
    expect(load({}).limits).toMatchObject({ maxResourcesPerStack: 1000, stackTimeoutMins: 60, maxStacksPerProject: 512 });
  });

  it("are read from the environment, -1 lifting the resource and stack limits", () => {
    const config = load({ KILN_MAX_RESOURCES_PER_STACK: "-1", KILN_STACK_TIMEOUT_MINS: "5", KILN_MAX_STACKS_PER_PROJECT: "-1" });
    expect(config.limits).toMatchObject({ maxResourcesPerStack: -1, stackTimeoutMins: 5, maxStacksPerProject: -1 });
  });

  it.each([
    ["KILN_MAX_RESOURCES_PER_STACK", "0"],
    ["KILN_MAX_RESOURCES_PER_STACK", "1e308"],
    ["KILN_STACK_TIMEOUT_MINS", "0"],
    ["KILN_STACK_TIMEOUT_MINS", "1.5"],
    ["KILN_MAX_STACKS_PER_PROJECT", "many"],
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

describe("identity settings", () => {
  it("an admin password shorter than 8 characters stops the process; an empty one means generate it", () => {
    expect(() => load({ KILN_ADMIN_PASSWORD: "short" })).toThrow(/KILN_ADMIN_PASSWORD: must be at least 8 characters/);
    expect(load({ KILN_ADMIN_PASSWORD: "" }).adminPassword).toBeUndefined();
  });

  it("an admin password over bcrypt's 72 bytes stops the process, counted in bytes: it could never sign in, and only its first 72 bytes would count", () => {
    expect(() => load({ KILN_ADMIN_PASSWORD: "é".repeat(40) })).toThrow(/KILN_ADMIN_PASSWORD: must be at most 72 bytes/);
    expect(load({ KILN_ADMIN_PASSWORD: "é".repeat(36) }).adminPassword).toBe("é".repeat(36));
  });

  it("KILN_ALLOWED_HOSTS is a comma-separated list of host names, with or without a port", () => {
    expect(load({ KILN_ALLOWED_HOSTS: "Kiln.Example.com, 10.0.0.5:3000,[::1]" }).allowedHosts).toEqual(["kiln.example.com", "10.0.0.5:3000", "[::1]"]);
    expect(() => load({ KILN_ALLOWED_HOSTS: "http://kiln.example.com" })).toThrow(/KILN_ALLOWED_HOSTS/);
  });

  it("the data directory is the SQLite file's, unless KILN_DATA_DIR says otherwise", () => {
    expect(load({ DATABASE_URL: "file:/var/lib/kiln/kiln.db" }).dataDir).toBe("/var/lib/kiln");
    expect(load({ DATABASE_URL: "file:/var/lib/kiln/kiln.db", KILN_DATA_DIR: "/etc/kiln" }).dataDir).toBe("/etc/kiln");
  });

  it("Keystone mode: off by default; KILN_KEYSTONE_* read as keystonemiddleware's options, with its defaults", () => {
    expect(load({}).keystone).toBeUndefined();
    expect(load({ KILN_KEYSTONE_URL: "http://keystone:5000/v3/", KILN_KEYSTONE_USERNAME: "kiln", KILN_KEYSTONE_PASSWORD: "secret" }).keystone).toEqual({
      url: "http://keystone:5000/v3",
      serviceUser: { username: "kiln", password: "secret", projectName: "service", userDomainName: "Default", projectDomainName: "Default" },
      tokenCacheMs: 300_000,
      timeoutMs: 5_000,
      defaultDomain: "Default",
    });
    expect(load({ KILN_KEYSTONE_URL: "http://keystone:5000/v3" }).keystone?.serviceUser).toBeUndefined();
  });

  it("a Keystone URL that is not Identity v3, or a service user without a password, stops the process saying so", () => {
    expect(() => load({ KILN_KEYSTONE_URL: "http://keystone:5000" })).toThrow(/KILN_KEYSTONE_URL: must be Keystone's Identity v3 endpoint, ending in \/v3/);
    expect(() => load({ KILN_KEYSTONE_URL: "http://keystone:5000/v3", KILN_KEYSTONE_USERNAME: "kiln" })).toThrow(/KILN_KEYSTONE_USERNAME and KILN_KEYSTONE_PASSWORD go together/);
  });
});

describe("queue consumers per process", () => {
  it("default to 16 on SQLite (the embedded default) and 4 on PostgreSQL", () => {
    expect(load({}).workers).toBe(16);
    expect(load({ DATABASE_URL: "file:./data/other.db" }).workers).toBe(16);
    expect(load({ DATABASE_URL: "postgresql://127.0.0.1/kiln" }).workers).toBe(4);
  });

  it("are what KILN_WORKERS says, 0 included (a process that runs no jobs)", () => {
    expect(load({ KILN_WORKERS: "3" }).workers).toBe(3);
    expect(load({ KILN_WORKERS: "0", DATABASE_URL: "postgresql://127.0.0.1/kiln" }).workers).toBe(0);
    expect(() => load({ KILN_WORKERS: "-1" })).toThrow("KILN_WORKERS");
  });
});
