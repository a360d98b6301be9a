/**
 * A job that took its process down on every attempt (a poison job) cannot keep Kiln down: the
 * restarted server answers /healthz before any job runs, gives up on the job, and fails its
 * resource with the reason; SIGTERM then exits within 15 s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "./store/database";
import { execute, sql } from "./store/sql";
import { startServer, trpc, type ServerProcess } from "./testing/serverProcess";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-poison-"));
const databaseUrl = `file:${path.join(dir, "kiln.db")}`;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

const template = `heat_template_version: 2018-08-31
resources:
  slow:
    type: OS::Heat::TestResource
    properties:
      action_wait_secs: { create: 600 }
`;

it("a job that killed its process three times is given up on after a restart, and the server answers and stops promptly", async () => {
  server = await startServer(databaseUrl);
  const created = await trpc<{ id: string }>(server, "stacks.create", { name: "poisoned", template }, "mutation");
  await expect
    .poll(async () => (await trpc<{ resourceStatus: string }[]>(server!, "resources.list", { stack: created.id }))[0]?.resourceStatus, { timeout: 20_000 })
    .toBe("CREATE_IN_PROGRESS");
  await server.stop("SIGKILL");

  // The wake-up is due now, and three processes took it and died.
  const db = await openDatabase(databaseUrl);
  await execute(db, sql`UPDATE "Job" SET "attempts" = 3, "leaseHolder" = 'dead', "leaseUntil" = 0, "availableAt" = 0 WHERE "kind" = 'resume'`);
  await db.close();

  server = await startServer(databaseUrl);
  expect((await fetch(`${server.url}/healthz`)).status).toBeLessThan(600);
  await expect
    .poll(async () => (await trpc<{ stackStatus: string; statusReason: string }>(server!, "stacks.show", { stack: created.id })), { timeout: 20_000 })
    .toMatchObject({
      stackStatus: "CREATE_FAILED",
      statusReason: "Resource CREATE failed: resources.slow: the engine gave up after 3 attempts: its process stopped or hung while running it",
    });

  // It listened before it took the job.
  expect(server.log().indexOf('"kiln is ready"')).toBeLessThan(server.log().indexOf("the engine gave up"));
  const stopping = Date.now();
  expect(await server.stop("SIGTERM")).toBe(0);
  expect(Date.now() - stopping).toBeLessThan(15_000);
}, 90_000);
