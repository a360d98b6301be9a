/**
 * `kiln cloud show|set|unset` against a real Kiln server and the real minicloud Keystone: the
 * credentials taken from a clouds.yaml entry, an openrc's variables or flags, the password
 * asked without echo when not given, Keystone's refusal passed on, the secret never printed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudSkipped, makeKeystoneUser, memberCredentials, testCloud, type KeystoneTestUser } from "../clouds/testing/testCloud";
import { startServer, type ServerProcess } from "../testing/serverProcess";
import { memoryIo, type Io } from "./io";
import { runKiln } from "./run";

const here = path.dirname(fileURLToPath(import.meta.url));
let server: ServerProcess;
let dir: string;
let user: KeystoneTestUser;
const member = memberCredentials();

type Run = { code: number; stdout: string; stderr: string };
const text = (lines: string[]) => lines.join("\n");

async function kiln(env: Record<string, string>, args: string[], io: Partial<Io> = {}): Promise<Run> {
  const recorded = memoryIo({ cwd: dir, env: { KILN_TOKEN: server.token, HOME: dir, ...env }, ...io });
  const code = await runKiln([...args, "--url", server.url], recorded);
  return { code, stdout: text(recorded.stdout), stderr: text(recorded.stderr) };
}

function kilnExecutable(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(here, "kiln.mjs"), ...args, "--url", server.url], { cwd: dir, env: { ...process.env, KILN_URL: "", KILN_TOKEN: server.token, HOME: dir, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const openrc = (password?: string): Record<string, string> => ({
  OS_AUTH_URL: member.authUrl,
  OS_USERNAME: user.name,
  ...(password ? { OS_PASSWORD: password } : {}),
  OS_PROJECT_NAME: user.projectName,
  OS_USER_DOMAIN_ID: "default",
  OS_PROJECT_DOMAIN_ID: "default",
  OS_REGION_NAME: member.region ?? "",
});

describe.skipIf(cloudSkipped)("kiln cloud", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await testCloud();
    user = await makeKeystoneUser("kiln-cli");
    dir = mkdtempSync(path.join(tmpdir(), "kiln-cli-cloud-"));
    server = await startServer(`file:${dir}/kiln.db`, { OS_CLOUD: "", OS_AUTH_URL: "", OS_CLIENT_CONFIG_FILE: "", KILN_AUTH_URL_ALLOW_INTERNAL: "1" });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await user?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("show says the project has none yet; set from a clouds.yaml entry, by the real executable, is checked and shown without its password", async () => {
    expect((await kiln({}, ["cloud", "show"])).stdout).toBe("The project has no credentials of its own; its stacks act in no cloud");
    // ./clouds.yaml, where openstacksdk looks first when OS_CLIENT_CONFIG_FILE is not set.
    const auth = { auth_url: member.authUrl, username: user.name, password: user.password, project_name: user.projectName, user_domain_id: "default", project_domain_id: "default" };
    writeFileSync(path.join(dir, "clouds.yaml"), stringify({ clouds: { mine: { auth, region_name: member.region }, other: { auth: { ...auth, password: "wrong" } } } }));
    const set = await kilnExecutable({ OS_CLIENT_CONFIG_FILE: "" }, "cloud", "set", "--os-cloud", "mine");
    expect(set.stderr).toBe("");
    expect(set.stdout).toMatch(/^Keystone accepted the credentials \(OpenStack project [0-9a-f]+\); the project's new work acts in http/);
    expect(set.code).toBe(0);
    const shown = await kilnExecutable({}, "cloud", "show");
    expect(shown.stdout).toContain(`| user        | ${user.name} (domain default) |`);
    expect(shown.stdout).toContain("| secret      | password: set ");
    expect(shown.stdout + shown.stderr + set.stdout).not.toContain(user.password);

    const wrong = await kiln({}, ["cloud", "set", "--os-cloud", "other"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("The request you have made requires authentication");
    const missing = await kiln({}, ["cloud", "set", "--os-cloud", "nowhere"]);
    expect(missing.stderr).toContain('There is no cloud named "nowhere"; there are: mine, other');
  });

  it("set --from-env takes a sourced openrc; without OS_PASSWORD the password is asked without echo", async () => {
    const asked: { question: string; secret?: boolean }[] = [];
    const r = await kiln(openrc(), ["cloud", "set", "--from-env"], {
      interactive: true,
      ask: async (question, opts) => (asked.push({ question, secret: opts?.secret }), user.password),
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(asked).toEqual([{ question: `Password of ${user.name}: `, secret: true }]);

    const refused = await kiln(openrc("not-the-password"), ["cloud", "set", "--from-env"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("The request you have made requires authentication");
    const cannotAsk = await kiln(openrc(), ["cloud", "set", "--from-env"]);
    expect(cannotAsk.stderr).toContain("kiln cloud set needs the password (--os-password) when it cannot ask");
  });

  it("set from flags alone, a flag overriding the openrc's field; unset removes them", async () => {
    const r = await kiln({}, ["cloud", "set", "--os-auth-url", member.authUrl, "--os-username", user.name, "--os-password", user.password, "--os-project-name", user.projectName, "--os-user-domain-id", "default", "--os-project-domain-id", "default", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ user: user.name, secret: "password: set", authUrl: member.authUrl });
    const overridden = await kiln(openrc("not-the-password"), ["cloud", "set", "--from-env", "--os-password", user.password]);
    expect(overridden.code).toBe(0);
    expect((await kiln({}, ["cloud", "set"])).stderr).toContain("kiln cloud set needs an auth URL");

    expect((await kiln({}, ["cloud", "unset", "--yes"])).stdout).toBe("Removed the project's OpenStack credentials");
    expect((await kiln({}, ["cloud", "show"])).stdout).toBe("The project has no credentials of its own; its stacks act in no cloud");
  });
});
