/**
 * A hidden parameter's value stays secret through a whole life of a stack on a real server:
 * planted in a stack's parameters, it flows into a Value, a RandomString's salt, a
 * TestResource, a nested stack, outputs, a rejected template's error and a failing resource's reason; then
 * every answer of tRPC (as admin and as reader), every socket.io message, every CLI command,
 * the server's log and every byte of the database are searched for it. Run on SQLite and on
 * PostgreSQL. Wait condition tokens are searched for in what a reader gets too.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { memoryIo } from "./cli/io";
import { runKiln } from "./cli/run";
import { signIn, startServer, trpc, type Endpoint, type ServerProcess } from "./testing/serverProcess";
import { testDatabases, type TestDatabaseUrl } from "./store/testing/testDatabases";
import { KEY_FILE } from "./store/secretKey";

const template = `heat_template_version: 2021-04-16
parameters:
  secret:
    type: string
    hidden: true
  label:
    type: string
    default: shown
resources:
  handle:
    type: OS::Heat::WaitConditionHandle
  v:
    type: OS::Heat::Value
    properties:
      value: {str_replace: {template: "pw=SECRET;", params: {SECRET: {get_param: secret}}}}
  salted:
    type: OS::Heat::RandomString
    properties:
      length: 12
      salt: {get_param: secret}
  t:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: secret}
  nested:
    type: OS::Heat::Stack
    properties:
      template: {get_file: child.yaml}
      parameters: {inner: {get_param: secret}}
  lookup:
    type: OS::Heat::TestResource
    properties:
      action_wait_secs: {create: {get_attr: [t, output]}}
outputs:
  direct:
    value: {get_param: secret}
  derived:
    value: {get_attr: [v, value]}
  tested:
    value: {get_attr: [t, output]}
  signal:
    value: {get_attr: [handle, curl_cli]}
  plain:
    value: {get_param: label}
`;

/** A nested stack whose parameter is not hidden: the parent's hidden value stays masked in it. */
const child = `heat_template_version: 2021-04-16
parameters:
  inner: {type: string}
resources:
  copy:
    type: OS::Heat::Value
    properties:
      value: {get_param: inner}
outputs:
  copied:
    value: {get_attr: [copy, value]}
`;
const files = { "child.yaml": child };

/** The same stack without the resource that fails, so the update completes. */
const healed = template.replace(/  lookup:\n(    .*\n){3}/, "");

/** Quotes the hidden value in a property of the wrong type: refused before anything is stored. */
const quoting = `heat_template_version: 2021-04-16
parameters:
  secret: {type: string, hidden: true}
resources:
  t:
    type: OS::Heat::TestResource
    properties:
      action_wait_secs: {create: {get_param: secret}}
`;

describe.each(testDatabases)("a hidden value on $provider", ({ provider, create }) => {
  const planted = `Pl4nted-${randomBytes(9).toString("hex")}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-secrets-"));
  let db: TestDatabaseUrl;
  let server: ServerProcess;
  let admin: Endpoint;
  let reader: Endpoint;
  /** Every answer, message and CLI output, as text, with where it came from. */
  const seen: { where: string; text: string }[] = [];
  const sockets: Socket[] = [];
  let stackId = "";
  let handleToken = "";

  const record = (where: string, value: unknown) => {
    seen.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });
    return value;
  };
  const call = async <T>(who: Endpoint, procedure: string, input: unknown, kind: "query" | "mutation" = "query") =>
    record(`${procedure} as ${who === admin ? "admin" : "reader"}`, await trpc<T>(who, procedure, input, kind)) as T;
  const refused = async (who: Endpoint, procedure: string, input: unknown, kind: "query" | "mutation") => {
    const error = await trpc(who, procedure, input, kind).then(
      () => undefined,
      (e: Error) => e.message,
    );
    record(`${procedure} error`, error);
    return error;
  };
  const kiln = async (who: Endpoint, ...args: string[]) => {
    const out = memoryIo({ cwd: dataDir, env: { KILN_TOKEN: who.token! } });
    const code = await runKiln([...args, "--url", server.url], out);
    record(`kiln ${args.join(" ")} as ${who === admin ? "admin" : "reader"}`, [...out.stdout, ...out.stderr].join("\n"));
    return { code, stdout: out.stdout.join("\n") };
  };
  const listen = (who: Endpoint, name: string) => {
    const socket = io(server.url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: who.token } });
    sockets.push(socket);
    socket.onAny((event: string, payload: unknown) => record(`socket.io ${event} to ${name}`, payload));
    socket.emit("watch-stacks");
    return socket;
  };
  const status = async () => (await call<{ stackStatus: string }>(admin, "stacks.show", { stack: stackId })).stackStatus;

  beforeAll(async () => {
    db = await create();
    server = await startServer(db.url, { KILN_DATA_DIR: dataDir, LOG_LEVEL: "debug" });
    admin = server;
    await trpc(admin, "users.create", { name: "watcher", password: "watcher-password" }, "mutation");
    await trpc(admin, "roles.add", { user: "watcher", project: "admin", role: "reader" }, "mutation");
    reader = { url: server.url, token: await signIn(server.url, "watcher", "watcher-password") };
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
    await db?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the server generated its key file, readable by its owner only", () => {
    const mode = fs.statSync(path.join(dataDir, KEY_FILE)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("a template whose error would quote the value is refused with the value masked", async () => {
    const error = await refused(admin, "stacks.create", { name: "quoting", template: quoting, parameters: { secret: planted } }, "mutation");
    expect(error).toMatch(/action_wait_secs/);
    expect(error).toContain("******");
    const validated = await call<{ valid: boolean; errors: { message: string }[] }>(admin, "templates.validate", { template: quoting, parameters: { secret: planted } }, "mutation");
    expect(validated.valid).toBe(false);
  });

  it("create, update and every view: the value is masked, and a reader sees no token", { timeout: 120_000 }, async () => {
    const adminSocket = listen(admin, "admin");
    const readerSocket = listen(reader, "reader");
    stackId = (await call<{ id: string }>(admin, "stacks.create", { name: "planted", template, files, parameters: { secret: planted } }, "mutation")).id;
    for (const s of [adminSocket, readerSocket]) await new Promise((r) => s.emit("subscribe", { stackId, afterId: 0 }, r));
    await vi.waitFor(async () => expect(await status()).toBe("CREATE_FAILED"), { timeout: 30_000, interval: 200 });

    // The failing resource's reason quoted the value: it shows the mask where the value was.
    const lookup = await call<{ statusReason: string }>(admin, "resources.show", { stack: stackId, resource: "lookup" });
    expect(lookup.statusReason).toContain("******");

    await call(admin, "stacks.preview", { stack: stackId, template: healed, files, existing: true }, "mutation");
    await call(admin, "stacks.update", { stack: stackId, template: healed, files, existing: true }, "mutation");
    await vi.waitFor(async () => expect(await status()).toBe("UPDATE_COMPLETE"), { timeout: 30_000, interval: 200 });

    for (const who of [admin, reader]) {
      await call(who, "stacks.list", {});
      const shown = await call<{ parameters: Record<string, unknown>; outputs: { outputKey: string; outputValue: unknown }[] }>(who, "stacks.show", { stack: stackId });
      expect(shown.parameters.secret).toBe("******");
      const outputs = Object.fromEntries(shown.outputs.map((o) => [o.outputKey, o.outputValue]));
      // Heat 19 shows these in clear; Kiln shows where the value went, not the value.
      expect(outputs).toMatchObject({ direct: "******", derived: "pw=******;", tested: "******", plain: "shown" });
      await call(who, "resources.list", { stack: stackId, nestedDepth: 5 });
      for (const resource of ["handle", "v", "salted", "t", "nested"]) await call(who, "resources.show", { stack: stackId, resource });
      await call(who, "outputs.list", { stack: stackId });
      for (const output of ["direct", "derived", "tested", "signal"]) await call(who, "outputs.show", { stack: stackId, output });
      await call(who, "events.list", { stack: stackId, kinds: ["event", "warning", "debug", "progress"], nested: true });
      await call(who, "templates.validate", { template, files, parameters: { secret: planted } }, "mutation");
      const nestedId = (await call<{ nestedStackId: string }>(who, "resources.show", { stack: stackId, resource: "nested" })).nestedStackId;
      const nested = await call<{ parameters: Record<string, unknown>; outputs: { outputValue: unknown }[] }>(who, "stacks.show", { stack: nestedId });
      expect(nested.parameters.inner).toBe("******");
      expect(nested.outputs[0]!.outputValue).toBe("******");
      await call(who, "resources.show", { stack: nestedId, resource: "copy" });

      expect((await kiln(who, "stack", "show", "planted")).code).toBe(0);
      expect((await kiln(who, "stack", "resource", "list", "planted")).code).toBe(0);
      for (const resource of ["handle", "v", "salted", "t", "nested"]) expect((await kiln(who, "stack", "resource", "show", "planted", resource)).code).toBe(0);
      expect((await kiln(who, "stack", "output", "list", "planted")).code).toBe(0);
      expect((await kiln(who, "stack", "output", "show", "planted", "derived")).code).toBe(0);
      expect((await kiln(who, "stack", "event", "list", "planted", "--nested", "--warnings")).code).toBe(0);
    }

    // A member sees the handle's token, so it can signal; a reader sees the mask in its place, everywhere.
    const handle = await trpc<{ attributes: { token: string } }>(admin, "resources.show", { stack: stackId, resource: "handle" });
    handleToken = handle.attributes.token;
    expect(handleToken).toMatch(/^[0-9a-f]{48}$/);
    const asReader = await call<{ attributes: Record<string, unknown> }>(reader, "resources.show", { stack: stackId, resource: "handle" });
    expect(asReader.attributes).toMatchObject({ token: "******", curl_cli: expect.stringContaining("X-Auth-Token: ******") });
    const readerOutput = await call<{ outputValue: string }>(reader, "outputs.show", { stack: stackId, output: "signal" });
    expect(readerOutput.outputValue).toContain("X-Auth-Token: ******");
  });

  it("0 hits of the value in any answer, notification, CLI output or log line; 0 tokens shown to the reader", async () => {
    await vi.waitFor(() => expect(seen.filter((s) => s.where.startsWith("socket.io notifications to reader")).length).toBeGreaterThan(0), { timeout: 10_000 });
    expect(seen.filter((s) => s.where.startsWith("socket.io notifications")).some((s) => s.text.includes("UPDATE_COMPLETE") || s.text.includes('"UPDATE"'))).toBe(true);
    expect(seen.filter((s) => s.text.includes(planted)).map((s) => s.where)).toEqual([]);
    expect(seen.filter((s) => !s.where.includes("admin") && !s.where.startsWith("stacks.create") && s.text.includes(handleToken)).map((s) => s.where)).toEqual([]);
    expect(server.log()).toContain('"kiln is ready"');
    expect(server.log().includes(planted)).toBe(false);
  });

  it("0 hits of the value (or of the token) in the database, where the secret columns are encrypted", async () => {
    await server.stop();
    const dump = provider === "sqlite" ? sqliteBytes(db.url) : await postgresText(db.url);
    expect(dump).toContain("kiln-sealed:v1:");
    expect(dump.includes(planted)).toBe(false);
    // Not even as the JSON the str_replace made of it.
    expect(dump.includes("pw=Pl4nted")).toBe(false);
    // The handle's token is a credential too: encrypted with the rest of the resource's data.
    expect(handleToken).not.toBe("");
    expect(dump.includes(handleToken)).toBe(false);
  });

  it("started with another key, the server refuses to start and says why, rather than reading garbage", async () => {
    const other = randomBytes(32).toString("base64");
    const started = await startServer(db.url, { KILN_DATA_DIR: dataDir, KILN_SECRET_KEY: other }).then(
      async (s) => {
        await s.stop();
        return "started";
      },
      (e: Error) => e.message,
    );
    expect(started).toMatch(/exited \(2\) before it was ready/);
    expect(started).toMatch(/cannot decrypt stored data: the server's secret key \(key id [0-9a-f]{8}\) differs from the one that sealed it \(key id [0-9a-f]{8}\); start it with the KILN_SECRET_KEY \(or the data directory's secret.key\) the data was written with/);
    // The key file the data was written with still opens it.
    const again = await startServer(db.url, { KILN_DATA_DIR: dataDir });
    expect((await trpc<{ parameters: Record<string, unknown> }>(again, "stacks.show", { stack: stackId })).parameters.secret).toBe("******");
    await again.stop();
  });
});

/** The SQLite file and its write-ahead log, as text. */
function sqliteBytes(url: string): string {
  const file = url.replace(/^file:/, "");
  return [file, `${file}-wal`, `${file}-journal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("latin1")).join("\n");
}

/** Every row of every table of the database, as text (what pg_dump would write of the data). */
async function postgresText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const out: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      out.push(...rows.rows.map((r) => r.row));
    }
    expect(tables.rows.map((t) => t.table_name)).toContain("Resource");
    return out.join("\n");
  } finally {
    await client.end();
  }
}
