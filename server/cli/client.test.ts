import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { apiFailure, serverUrl } from "./client";
import { EXIT } from "./exit";

const URL = "http://kiln.test:3000";
const fromServer = (message: string, data: Record<string, unknown>) =>
  TRPCClientError.from({ error: { message, code: -32600, data } } as never);

describe("API failures", () => {
  it("a refused connection says the server cannot be reached (exit 3)", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    const f = await apiFailure(TRPCClientError.from(refused), URL);
    expect(f.exitCode).toBe(EXIT.api);
    expect(f.message).toBe(`cannot reach Kiln at ${URL} (is the server running? set --url or KILN_URL)`);
  });

  it("an invalid template exits 1 with each problem as path (line:col): message", async () => {
    const problems = [{ path: "resources.a.type", line: 4, column: 11, file: null, message: 'unknown resource type "X"' }];
    const f = await apiFailure(fromServer("The template is not valid:\n…", { code: "BAD_REQUEST", problems }), URL);
    expect(f.exitCode).toBe(EXIT.failed);
    expect(f.details).toEqual(['resources.a.type (4:11): unknown resource type "X"']);
  });

  it("any other server error is its message (exit 3)", async () => {
    const f = await apiFailure(fromServer('Stack "x" not found', { code: "NOT_FOUND" }), URL);
    expect([f.exitCode, f.message]).toEqual([EXIT.api, 'Stack "x" not found']);
  });

  it("input validation issues are the server's line", async () => {
    const f = await apiFailure(fromServer("Invalid input: name: Too small", { code: "BAD_REQUEST" }), URL);
    expect([f.exitCode, f.message]).toEqual([EXIT.api, "Invalid input: name: Too small"]);
  });
});

describe("the server URL", () => {
  it("comes from --url, then KILN_URL, then localhost:3000", () => {
    expect(serverUrl("http://a:1/", { KILN_URL: "http://b:2" })).toBe("http://a:1");
    expect(serverUrl(undefined, { KILN_URL: "http://b:2" })).toBe("http://b:2");
    expect(serverUrl(undefined, {})).toBe("http://localhost:3000");
  });
});
