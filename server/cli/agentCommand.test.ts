import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "./io";
import { runKiln } from "./run";

async function kiln(env: Record<string, string>, ...argv: string[]) {
  const io = memoryIo({ cwd: os.tmpdir(), env });
  const code = await runKiln(["agent", ...argv], io);
  return { code, stderr: io.stderr.join("\n") };
}

describe("kiln agent, before it connects", () => {
  it("says which setting is missing, with its variable, and exits 2", async () => {
    expect(await kiln({}, "--server", "s")).toMatchObject({ code: 2, stderr: expect.stringContaining("needs --url (or KILN_AGENT_URL)") });
    expect(await kiln({ KILN_AGENT_URL: "http://127.0.0.1:9" })).toMatchObject({ code: 2, stderr: expect.stringContaining("needs --server (or KILN_AGENT_SERVER)") });
    const noCredential = await kiln({ KILN_AGENT_URL: "http://127.0.0.1:9", KILN_AGENT_SERVER: "s" });
    expect(noCredential).toMatchObject({ code: 2, stderr: expect.stringContaining("KILN_AGENT_CREDENTIAL, --credential-file FILE, or --credential") });
  });

  it("refuses a credential file it cannot read, without showing what it holds", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-agent-cli-"));
    const empty = path.join(dir, "empty");
    fs.writeFileSync(empty, "\n");
    const env = { KILN_AGENT_URL: "http://127.0.0.1:9", KILN_AGENT_SERVER: "s" };
    expect(await kiln(env, "--credential-file", path.join(dir, "missing"))).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read the credential file") });
    expect(await kiln(env, "--credential-file", empty)).toMatchObject({ code: 2, stderr: expect.stringContaining("is empty") });
    expect(await kiln({ ...env, KILN_AGENT_URL: "ftp://x" }, "--credential", "secret-value")).toMatchObject({ code: 2, stderr: expect.not.stringContaining("secret-value") });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
