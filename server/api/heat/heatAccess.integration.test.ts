/**
 * Every route of Heat's API, tried by every kind of caller against a real server: nobody, a
 * reader and a member of project alpha, and a member of project beta asking under alpha's
 * path. The routes come from the table itself, so a route added without an entry here fails.
 * Then the no-auth mode, the change limit and the error body, on a second server.
 */
import http from "node:http";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../config";
import { signIn, trpc, type Endpoint } from "../../testing/serverProcess";
import { serverForSuite } from "../../testing/suiteServer";
import { roleAllows, type Role } from "../../identity/roles";
import { heatRoutes } from "./heatRoutes";

const server = serverForSuite("heat-access", { KILN_WORKERS: "2" });
const noAuth = serverForSuite("heat-noauth", { KILN_WORKERS: "1", KILN_HEAT_NOAUTH_PROJECT: "solo", KILN_CHANGES_PER_MINUTE: "3", KILN_TEMPLATE_URL_ALLOW_INTERNAL: "1" });

type Who = "nobody" | "reader" | "member" | "outsider";
const WHO: Who[] = ["nobody", "reader", "member", "outsider"];
const ROLE_IN_ALPHA: Record<"reader" | "member", Role> = { reader: "reader", member: "member" };

const template = {
  heat_template_version: "2018-08-31",
  resources: { handle: { type: "OS::Heat::WaitConditionHandle" }, thing: { type: "OS::Heat::TestResource", properties: { value: "hello" } } },
  outputs: { greeting: { value: { get_attr: ["thing", "output"] } } },
};

const tokens = {} as Record<Who, string | undefined>;
let alphaId = "";
let target: { id: string; name: string };
let eventId = "";
/** A deployment waiting for its server's agent, in alpha: its id, its server's and its derived config's. */
let software = { deploymentId: "", serverId: "", configId: "" };
let serial = 0;

/** One request as `who`, under alpha's path unless `project` says otherwise. */
async function call(who: Who, method: string, path: string, body?: unknown, project = alphaId) {
  const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
  if (tokens[who]) headers["x-auth-token"] = tokens[who]!;
  const res = await fetch(`${server().url}/v1/${project}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function createInAlpha(name: string) {
  const r = await call("member", "POST", "/stacks", { stack_name: name, template });
  expect(r.status, r.text).toBe(201);
  const id = (JSON.parse(r.text) as { stack: { id: string } }).stack.id;
  await vi.waitFor(async () => expect(JSON.parse((await call("member", "GET", `/stacks/${name}/${id}`)).text).stack.stack_status).toBe("CREATE_COMPLETE"), { timeout: 30_000, interval: 100 });
  return { id, name };
}

/** The body each route is sent; routes not named send none. */
const BODIES: Record<string, unknown> = {
  "POST /stacks": { template },
  "PUT /stacks/{stack_name}/{stack_id}": { template },
  "PATCH /stacks/{stack_name}/{stack_id}": {},
  "PUT /stacks/{stack_name}/{stack_id}/preview": { template },
  "PATCH /stacks/{stack_name}/{stack_id}/preview": {},
  "POST /stacks/{stack_name}/{stack_id}/actions": { check: null },
  "POST /stacks/{stack_name}/{stack_id}/resources/{resource_name}/signal": { status: "SUCCESS", reason: "door test" },
  "PATCH /stacks/{stack_name}/{stack_id}/resources/{resource_name}": { mark_unhealthy: true },
  "POST /validate": { template },
  "POST /software_configs": { name: "door-test", group: "script", config: "echo hi" },
  "PUT /software_deployments/{deployment_id}": { status: "COMPLETE" },
};

/** The route's path with its parameters filled in, about `stack`. */
function pathOf(route: string, stack: { id: string; name: string }) {
  return route
    .replace("{stack_name}", stack.name)
    .replace("{stack_id}", stack.id)
    .replace("{sub:", "{sub}:")
    .replace(/\{sub\}:[^}]+\}/, "resources")
    .replace("{rest*}", "handle")
    .replace("{resource_name}", "handle")
    .replace("{output_key}", "greeting")
    .replace("{event_id}", eventId)
    .replace("{type_name}", "OS::Heat::None")
    .replace("{template_version}", "heat_template_version.2018-08-31")
    .replace("{config_id}", software.configId)
    .replace("{deployment_id}", software.deploymentId)
    .replace("{server_id}", software.serverId);
}

function expected(who: Who, access: Role): "ok" | 401 | 403 {
  if (who === "nobody") return 401;
  if (who === "outsider") return 403;
  return roleAllows(ROLE_IN_ALPHA[who], access) ? "ok" : 403;
}

beforeAll(async () => {
  const admin: Endpoint = { url: server().url, token: server().token };
  const alpha = await trpc<{ id: string }>(admin, "projects.create", { name: "alpha" }, "mutation");
  alphaId = alpha.id;
  await trpc(admin, "projects.create", { name: "beta" }, "mutation");
  for (const [user, project, role] of [["reader", "alpha", "reader"], ["member", "alpha", "member"], ["outsider", "beta", "member"]] as const) {
    await trpc(admin, "users.create", { name: user, password: `${user}-password` }, "mutation");
    await trpc(admin, "roles.add", { user, project, role }, "mutation");
    tokens[user] = await signIn(admin.url, user, `${user}-password`);
  }
  target = await createInAlpha("alpha-private-stack");
  const events = JSON.parse((await call("member", "GET", `/stacks/${target.name}/${target.id}/resources/handle/events`)).text) as { events: { id: string }[] };
  eventId = events.events[0]!.id;
  software = await deploymentInAlpha();
}, 60_000);

const softwareTemplate = {
  heat_template_version: "2018-08-31",
  parameters: { db_password: { type: "string", hidden: true } },
  resources: {
    server: { type: "OS::Heat::DeployedServer" },
    config: { type: "OS::Heat::SoftwareConfig", properties: { group: "script", config: "echo configured", inputs: [{ name: "password" }] } },
    deploy: {
      type: "OS::Heat::SoftwareDeployment",
      properties: { config: { get_resource: "config" }, server: { get_resource: "server" }, input_values: { password: { get_param: "db_password" } } },
    },
  },
};
const DB_PASSWORD = "db-password-very-secret";

/** A stack whose deployment waits for an agent that never comes: its deployment is IN_PROGRESS. */
async function deploymentInAlpha() {
  const r = await call("member", "POST", "/stacks", { stack_name: "deploying", template: softwareTemplate, parameters: { db_password: DB_PASSWORD } });
  expect(r.status, r.text).toBe(201);
  const id = (JSON.parse(r.text) as { stack: { id: string } }).stack.id;
  const physical = async (name: string) =>
    (JSON.parse((await call("member", "GET", `/stacks/deploying/${id}/resources/${name}`)).text) as { resource: { physical_resource_id: string } }).resource.physical_resource_id;
  await vi.waitFor(async () => expect(await physical("deploy")).toBeTruthy(), { timeout: 30_000, interval: 100 });
  const deploymentId = await physical("deploy");
  const shown = JSON.parse((await call("member", "GET", `/software_deployments/${deploymentId}`)).text) as { software_deployment: { config_id: string; server_id: string } };
  return { deploymentId, serverId: shown.software_deployment.server_id, configId: shown.software_deployment.config_id };
}

describe("Heat API: every route, every kind of caller", () => {
  it("every route declares the role it needs", () => {
    for (const r of heatRoutes) expect(["reader", "member"], `${r.method} ${r.path}`).toContain(r.access);
    // Reads never change anything; every change needs a member, except the two that change nothing.
    for (const r of heatRoutes.filter((r) => r.access === "reader" && r.method !== "GET")) expect(r.changesNothing, `${r.method} ${r.path}`).toBe(true);
  });

  it("each caller gets exactly what its role allows, and another project's caller learns nothing", { timeout: 180_000 }, async () => {
    const before = (await call("member", "GET", `/stacks/${target.name}/${target.id}`)).text;
    const wrong: string[] = [];
    for (const route of heatRoutes) {
      for (const who of WHO) {
        const want = expected(who, route.access);
        // An allowed change acts on a stack of its own, so the target stays as it was.
        const changes = route.method !== "GET" && route.path.includes("{stack_name}");
        const stack = want === "ok" && changes ? await createInAlpha(`victim-${++serial}`) : target;
        let body = BODIES[`${route.method} ${route.path}`];
        if (route.method === "POST" && route.path === "/stacks") body = { template, stack_name: `made-${++serial}` };
        const { status, text } = await call(who, route.method, pathOf(route.path, stack), body);
        const got = status === 401 || status === 403 ? status : "ok";
        if (got !== want) wrong.push(`${route.method} ${route.path} as ${who}: wanted ${want}, got ${status} ${text.slice(0, 200)}`);
        if (status >= 500) wrong.push(`${route.method} ${route.path} as ${who}: ${status} ${text.slice(0, 200)}`);
        if (who === "outsider" || who === "nobody") {
          if (text.includes(target.id) || text.includes(target.name)) wrong.push(`${route.method} ${route.path} as ${who} leaked the stack`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect((await call("member", "GET", `/stacks/${target.name}/${target.id}`)).text).toBe(before);
  });

  it("refusals carry Heat's error body", async () => {
    const nobody = await call("nobody", "GET", "/stacks");
    expect(nobody.status).toBe(401);
    expect(JSON.parse(nobody.text)).toEqual({
      code: 401,
      title: "Unauthorized",
      explanation: expect.any(String),
      error: { type: "Unauthorized", message: "Authentication required: send a valid token in X-Auth-Token", traceback: null },
    });
    const outsider = await call("outsider", "GET", "/stacks");
    expect(outsider.status).toBe(403);
    expect(JSON.parse(outsider.text)).toMatchObject({ code: 403, title: "Forbidden", error: { type: "Forbidden", traceback: null } });
    const reader = await call("reader", "DELETE", `/stacks/${target.name}/${target.id}`);
    expect(JSON.parse(reader.text).error.message).toBe('This needs the member role in project "alpha"; you are a reader there');
  });

  it("in its own project, another project's stack is not found, by id or by name", async () => {
    const betaId = JSON.parse((await call("outsider", "GET", "/stacks", undefined, "beta")).text) as { stacks: unknown[] };
    expect(betaId.stacks).toEqual([]);
    const byName = await call("outsider", "GET", `/stacks/${target.name}`, undefined, "beta");
    expect(byName.status).toBe(404);
    expect(JSON.parse(byName.text).error).toMatchObject({ type: "EntityNotFound", message: `Stack "${target.name}" not found` });
    const byId = await call("outsider", "GET", `/stacks/${target.name}/${target.id}`, undefined, "beta");
    expect(byId.status).toBe(404);
  });

  it("hidden parameters' values are masked in stack show, environment and export", async () => {
    const secretTemplate = { heat_template_version: "2018-08-31", parameters: { password: { type: "string", hidden: true }, pin: { type: "string", hidden: true } }, resources: {} };
    const r = await call("member", "POST", "/stacks", {
      stack_name: "with-secrets",
      template: secretTemplate,
      parameters: { password: "hunter2-very-secret" },
      environment: { parameter_defaults: { pin: "pin-4321-secret" } },
    });
    expect(r.status, r.text).toBe(201);
    const id = (JSON.parse(r.text) as { stack: { id: string } }).stack.id;
    const at = `/stacks/with-secrets/${id}`;
    const shown = JSON.parse((await call("member", "GET", at)).text) as { stack: { parameters: Record<string, string> } };
    expect(shown.stack.parameters).toMatchObject({ password: "******", pin: "******" });
    for (const sub of ["", "/environment", "/export", "/template"]) {
      const text = (await call("member", "GET", `${at}${sub}`)).text;
      expect(text, sub).not.toContain("hunter2-very-secret");
      expect(text, sub).not.toContain("pin-4321-secret");
    }
    expect(JSON.parse((await call("member", "GET", `${at}/environment`)).text)).toMatchObject({ parameters: { password: "******" }, parameter_defaults: { pin: "******" } });
  });

  it("software configs and deployments in Heat's shapes: readers see no hidden value or signal token; metadata is for members", async () => {
    const { deploymentId, serverId, configId } = software;
    const list = JSON.parse((await call("reader", "GET", `/software_deployments?server_id=${serverId}`)).text) as { software_deployments: Record<string, unknown>[] };
    expect(list.software_deployments).toEqual([
      {
        id: deploymentId,
        server_id: serverId,
        config_id: configId,
        action: "CREATE",
        status: "IN_PROGRESS",
        status_reason: expect.any(String),
        input_values: { password: "******" },
        output_values: {},
        creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        updated_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    ]);
    expect(JSON.parse((await call("reader", "GET", "/software_deployments?server_id=no-such-server")).text)).toEqual({ software_deployments: [] });
    const configs = JSON.parse((await call("reader", "GET", "/software_configs?limit=50")).text) as { software_configs: Record<string, unknown>[] };
    expect(configs.software_configs.find((c) => c.id === configId)).toEqual({ id: configId, name: expect.any(String), group: "script", creation_time: expect.any(String) });
    expect((await call("reader", "GET", "/software_configs?limit=0")).status).toBe(400);
    expect((await call("reader", "GET", "/software_configs?marker=no-such-config")).status).toBe(404);

    // The member sees the derived config whole, signal URL included; the reader not the token, and no one the hidden value.
    const full = JSON.parse((await call("member", "GET", `/software_configs/${configId}`)).text) as { software_config: { config: string; inputs: { name: string; value: unknown }[] } };
    expect(Object.keys(full.software_config).sort()).toEqual(["config", "creation_time", "group", "id", "inputs", "name", "options", "outputs"]);
    expect(full.software_config.config).toBe("echo configured");
    const signalUrl = full.software_config.inputs.find((i) => i.name === "deploy_signal_id")?.value as string;
    expect(signalUrl).toMatch(/^http/);
    const token = new URL(signalUrl).searchParams.get("token") ?? signalUrl.split("/").pop()!;
    for (const path of [`/software_configs/${configId}`, `/software_deployments/${deploymentId}`, "/software_deployments"]) {
      const text = (await call("reader", "GET", path)).text;
      expect(text, path).not.toContain(token);
      expect(text, path).not.toContain(DB_PASSWORD);
      expect((await call("member", "GET", path)).text, path).not.toContain(DB_PASSWORD);
    }

    const metadata = JSON.parse((await call("member", "GET", `/software_deployments/metadata/${serverId}`)).text) as { metadata: { id: string; config: string }[] };
    expect(metadata.metadata.map((m) => [m.id, m.config])).toEqual([[configId, "echo configured"]]);
    expect((await call("reader", "GET", `/software_deployments/metadata/${serverId}`)).status).toBe(403);
    expect(JSON.parse((await call("outsider", "GET", `/software_deployments/metadata/${serverId}`, undefined, "beta")).text)).toEqual({ metadata: [] });
    expect((await call("outsider", "GET", `/software_deployments/${deploymentId}`, undefined, "beta")).status).toBe(404);

    // A config may be made and deleted outside a stack, as in Heat; one a deployment uses may not be deleted.
    const made = await call("member", "POST", "/software_configs", { name: "outside", group: "script", config: "echo outside", outputs: [{ name: "out" }] });
    expect(made.status, made.text).toBe(200);
    const madeConfig = (JSON.parse(made.text) as { software_config: Record<string, unknown> }).software_config;
    expect(madeConfig).toMatchObject({ name: "outside", group: "script", config: "echo outside", inputs: [], outputs: [{ name: "out", type: "String", error_output: false }], options: null });
    expect(JSON.parse((await call("reader", "GET", `/software_configs/${madeConfig.id}`)).text).software_config).toEqual(madeConfig);
    expect((await call("reader", "DELETE", `/software_configs/${madeConfig.id}`)).status).toBe(403);
    expect((await call("outsider", "DELETE", `/software_configs/${madeConfig.id}`, undefined, "beta")).status).toBe(404);
    const inUse = await call("member", "DELETE", `/software_configs/${configId}`);
    expect(inUse.status).toBe(409);
    expect(JSON.parse(inUse.text).error).toMatchObject({ type: "InvalidRestrictedAction", message: expect.stringMatching(/can not be deleted as it is referenced/) });
    expect((await call("member", "GET", `/software_configs/${configId}`)).status).toBe(200);
    expect((await call("member", "DELETE", `/software_configs/${madeConfig.id}`)).status).toBe(204);
    expect((await call("member", "GET", `/software_configs/${madeConfig.id}`)).status).toBe(404);
    for (const bad of [{ inputs: "x" }, { outputs: [{}] }, { group: 3 }, { options: [1] }]) {
      const r = await call("member", "POST", "/software_configs", { name: "bad", config: "x", ...bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((JSON.parse((await call("member", "GET", "/software_configs")).text) as { software_configs: { name: string }[] }).software_configs.map((c) => c.name)).not.toContain("bad");

    // Deployments are made and removed only by a stack's resources: refused clearly, nothing changes.
    const deployed = await call("member", "POST", "/software_deployments", { config_id: configId, server_id: serverId });
    expect(deployed.status).toBe(400);
    expect(JSON.parse(deployed.text).error).toMatchObject({ type: "NotSupported", message: expect.stringMatching(/made, changed and deleted by a stack's resources/) });
    expect((await call("member", "PUT", `/software_deployments/${deploymentId}`, { status: "COMPLETE" })).status).toBe(400);
    expect((await call("member", "DELETE", `/software_deployments/${deploymentId}`)).status).toBe(400);
    expect(JSON.parse((await call("member", "GET", `/software_deployments/${deploymentId}`)).text).software_deployment.status).toBe("IN_PROGRESS");

    // Adopting a stack is refused as unsupported, and makes none.
    const adopted = await call("member", "POST", "/stacks", { stack_name: "adopted", template, adopt_stack_data: "{}" });
    expect(adopted.status).toBe(400);
    expect(JSON.parse(adopted.text).error).toMatchObject({ type: "NotSupported", message: expect.stringMatching(/does not adopt stacks/) });
    expect((await call("member", "GET", "/stacks/adopted")).status).toBe(404);
    // A name taken in the project: Heat's StackExists, which its clients tell apart from an action in progress.
    const twice = await call("member", "POST", "/stacks", { stack_name: target.name, template });
    expect(twice.status).toBe(409);
    expect(JSON.parse(twice.text).error).toMatchObject({ type: "StackExists" });
  });

  it("a browser's session cookie is not a credential here", async () => {
    const res = await fetch(`${server().url}/v1/${alphaId}/stacks`, { headers: { cookie: `kiln_session=${tokens.member}` } });
    expect(res.status).toBe(401);
  });

  it("bad input is a 400 that changes nothing; unknown paths 404; wrong methods 405", async () => {
    const notJson = await fetch(`${server().url}/v1/${alphaId}/stacks`, { method: "POST", headers: { "x-auth-token": tokens.member!, "content-type": "application/json" }, body: "{nope" });
    expect(notJson.status).toBe(400);
    const noName = await call("member", "POST", "/stacks", { template });
    expect(JSON.parse(noName.text).error.message).toMatch(/stack_name is required/);
    const tags = await call("member", "POST", "/stacks", { stack_name: "tagged", template, tags: "a,b" });
    expect(tags.status).toBe(400);
    expect(JSON.parse(tags.text).error.message).toMatch(/does not keep stack tags/);
    const internal = await call("member", "POST", "/stacks", { stack_name: "fetched", template_url: "http://169.254.169.254/latest/meta-data" });
    expect(internal.status).toBe(400);
    expect(JSON.parse(internal.text).error).toMatchObject({ type: "InvalidTemplateReference", message: expect.stringMatching(/internal address/) });
    const ftp = await call("member", "POST", "/stacks", { stack_name: "fetched", template_url: "file:///etc/passwd" });
    expect(JSON.parse(ftp.text).error.message).toMatch(/only http and https/);
    const stacks = JSON.parse((await call("member", "GET", "/stacks?name=tagged&name=fetched")).text) as { stacks: unknown[] };
    expect(stacks.stacks).toEqual([]);
    const huge = await call("member", "POST", "/stacks", { stack_name: "huge", template: "x".repeat(4 * 1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    let deep: unknown = "bottom";
    for (let i = 0; i < 150; i++) deep = [deep];
    const tooDeep = await call("member", "POST", "/stacks", { stack_name: "deep", template, parameters: { p: deep } });
    expect(tooDeep.status).toBe(400);
    expect(JSON.parse(tooDeep.text).error.message).toMatch(/nested more than 100 levels/);
    expect((await call("member", "GET", "/stacks/%E0%A4%A/x")).status).toBe(404);
    expect((await call("member", "GET", "/stacks?limit=-1")).status).toBe(400);
    expect((await call("member", "GET", "/stacks?sort_keys=password")).status).toBe(400);
    const signal = await call("member", "POST", `/stacks/${target.name}/${target.id}/resources/handle/signal`, { status: "MAYBE" });
    expect(signal.status).toBe(400);
    expect(JSON.parse(signal.text).error.message).toMatch(/a signal's status is SUCCESS or FAILURE/);
    const notHandle = await call("member", "POST", `/stacks/${target.name}/${target.id}/resources/thing/signal`, {});
    expect(JSON.parse(notHandle.text).error).toMatchObject({ type: "ResourceActionNotSupported" });
    expect((await call("member", "GET", "/nowhere")).status).toBe(404);
    const method = await call("member", "DELETE", "/stacks");
    expect(method.status).toBe(405);
    expect(method.headers.get("allow")).toContain("GET");
  });
});

describe("Heat API: no-auth mode and the change limit", () => {
  const at = (path: string, init: RequestInit = {}) => fetch(`${noAuth().url}/v1${path}`, { redirect: "manual", ...init });
  const post = (path: string, body: unknown) => at(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("serves its one project with no credentials, and says so loudly in the log", async () => {
    expect((await at("/solo/stacks")).status).toBe(200);
    expect(noAuth().log()).toContain('NO AUTHENTICATION on Heat\'s API: anyone who can connect to 127.0.0.1 acts as a member of project \\"solo\\"');
    const other = await at("/other/stacks");
    expect(other.status).toBe(403);
  });

  it("template_url is fetched (here from loopback, allowed by KILN_TEMPLATE_URL_ALLOW_INTERNAL), within the file size limit and without redirects", async () => {
    const files = http.createServer((req, res) => {
      if (req.url === "/app.yaml") return res.end("heat_template_version: 2018-08-31\ndescription: fetched by url\nresources: {}\n");
      if (req.url === "/big.yaml") return res.end(`# ${"x".repeat(1024 * 1024 + 10)}\n`);
      res.writeHead(302, { location: "/app.yaml" }).end();
    });
    await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
    try {
      const fetched = await post("/solo/validate", { template_url: `${base}/app.yaml` });
      expect(fetched.status).toBe(200);
      expect(((await fetched.json()) as { Description: string }).Description).toBe("fetched by url");
      const big = await post("/solo/validate", { template_url: `${base}/big.yaml` });
      expect(big.status).toBe(400);
      expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/^Could not retrieve template from .*big\.yaml: the template is over 1 MB/);
      const moved = await post("/solo/validate", { template_url: `${base}/elsewhere` });
      expect(((await moved.json()) as { error: { message: string } }).error.message).toMatch(/answered 302 \(redirects are not followed\)/);
    } finally {
      files.close();
    }
  });

  it("a project's changes past the limit are refused with 429 and Retry-After; reads and validation are not counted", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await post("/solo/validate", { template })).status).toBe(200);
      statuses.push((await post("/solo/stacks", { stack_name: `limited-${i}`, template })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await post("/solo/stacks", { stack_name: "one-more", template });
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/has made 3 changes in the last minute/);
  });

  const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, []);

  it("no-auth mode refuses to start unless Kiln listens on loopback", () => {
    expect(() => load({ KILN_HEAT_NOAUTH_PROJECT: "solo", HOST: "0.0.0.0" })).toThrow(/allowed only when Kiln listens on loopback/);
    expect(load({ KILN_HEAT_NOAUTH_PROJECT: "solo", HOST: "127.0.0.1" }).heat.noAuthProject).toBe("solo");
  });
});
