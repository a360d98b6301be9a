/**
 * The scaled-out mode: PostgreSQL, Redis (BullMQ jobs and notification fan-out), one `web`
 * process (API and socket.io, no workers) and two `worker` processes. A stack created through the web process is converged by the
 * workers, and a browser-style socket.io client on the web process sees every event once.
 */
import { Redis } from "ioredis";
import { io } from "socket.io-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Notification } from "./engine/ports";
import { tempPostgresUrl, type TestDatabaseUrl } from "./store/testing/testDatabases";
import { startServer, trpc, type ServerProcess } from "./testing/serverProcess";

const redisUrl = process.env.KILN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let db: TestDatabaseUrl;
const servers: ServerProcess[] = [];

// A prefix of its own: other runs on the same Redis must not take this run's jobs.
const prefix = `kiln-test-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  db = await tempPostgresUrl();
  const env = { REDIS_URL: redisUrl, KILN_REDIS_PREFIX: prefix };
  servers.push(
    ...(await Promise.all([
      startServer(db.url, { ...env, KILN_ROLE: "web" }),
      startServer(db.url, { ...env, KILN_ROLE: "worker" }),
      startServer(db.url, { ...env, KILN_ROLE: "worker" }),
    ])),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db?.dispose();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

let template = "heat_template_version: 2018-08-31\nresources:\n";
for (let i = 0; i < 30; i++) {
  template += `  r${i}:\n    type: OS::Heat::TestResource\n    properties:\n      value: { get_attr: [${i ? `r${i - 1}` : "seed"}, ${i ? "output" : "value"}] }\n`;
  if (i % 5 === 0) template += `      action_wait_secs: { create: 0.1 }\n`;
}
template += "  seed:\n    type: OS::Heat::RandomString\n";

it("workers in other processes converge the stack, and the web process streams every event once", async () => {
  const web = servers[0]!;
  const health = (await (await fetch(`${web.url}/healthz`)).json()) as { ok: boolean; role: string; queue: { running: boolean } };
  expect(health).toMatchObject({ ok: true, role: "web", queue: { running: false } });

  const stack = await trpc<{ id: string }>(web, "stacks.create", { name: "spread", template }, "mutation");
  const socket = io(web.url, { path: "/socket.io", transports: ["websocket"], auth: { token: web.token } });
  const received: Notification[] = [];
  socket.on("notifications", (m: { items: Notification[] }) => received.push(...m.items));
  await new Promise<void>((resolve) => socket.emit("subscribe", { stackId: stack.id, afterId: 0 }, () => resolve()));

  await expect
    .poll(() => received.find((n) => n.resourceName === "spread" && n.status === "COMPLETE")?.action, { timeout: 30_000 })
    .toBe("CREATE");
  socket.close();

  const all = await trpc<Notification[]>(web, "events.list", { stack: stack.id, kinds: ["event", "warning", "debug", "progress"], nested: true });
  expect(received.map((n) => n.id)).toEqual(all.map((n) => n.id));
  const resources = await trpc<{ resourceStatus: string }[]>(web, "resources.list", { stack: stack.id });
  expect(resources).toHaveLength(31);
  expect(resources.every((r) => r.resourceStatus === "CREATE_COMPLETE")).toBe(true);
}, 60_000);
