/**
 * Stored data sealed with another secret key than this server's (a worker started with a key
 * of its own, say): a job that meets it fails its resource and stack at once, saying why, instead
 * of leaving the stack IN_PROGRESS; the API answers such a stack with that reason, not a trace.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOB } from "./engine/convergence/jobs";
import type { Notification } from "./engine/ports";
import { createRuntime, type Runtime } from "./services/runtime";
import { aesGcmCipher } from "./store/columnCipher";
import { openDatabase, type Database } from "./store/database";
import { execute, query, sql } from "./store/sql";
import { testDatabases, type TestDatabaseUrl } from "./store/testing/testDatabases";
import { authHeaders, startServer, trpc, type ServerProcess } from "./testing/serverProcess";

const CANNOT_DECRYPT = /cannot decrypt stored data: the server's secret key \(key id [0-9a-f]{8}\) differs from the one that sealed it \(key id [0-9a-f]{8}\)/;

const v1 = `
heat_template_version: 2018-08-31
parameters:
  pw: { type: string, hidden: true }
resources:
  a: { type: OS::Heat::TestResource, properties: { value: { get_param: pw } } }
`;
const v2 = v1.replace("get_param: pw }", "list_join: ['-', [{ get_param: pw }, again]] }");

describe.each(testDatabases)("stored data another key sealed, on $provider", ({ create }) => {
  let target: TestDatabaseUrl;
  let db: Database;
  // The process that submits (key A) and the worker that runs the jobs (key B).
  let submitter: Runtime;
  let worker: Runtime;
  const seen: Notification[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    target = await create();
    db = await openDatabase(target.url);
    submitter = createRuntime(db, pino({ level: "silent" }), { publicUrl: () => "http://kiln.test", cipher: aesGcmCipher(randomBytes(32)) });
    const workerLog = pino({ level: "warn" }, { write: (line: string) => void log.push(line) });
    worker = createRuntime(db, workerLog, { publicUrl: () => "http://kiln.test", cipher: aesGcmCipher(randomBytes(32)) });
    worker.bus.subscribe("*", (batch) => seen.push(...batch));
  });
  afterAll(async () => {
    await submitter?.queue.stop();
    await worker?.queue.stop();
    await db?.close();
    await target?.dispose();
  });

  const checkJobsLeft = async () => (await query<{ kind: string }>(db, sql`SELECT "kind" FROM "Job"`)).filter((j) => j.kind !== JOB.timeout);

  it("an update run by a worker with another key fails its resource and the stack at once, saying why", async () => {
    submitter.queue.start(2);
    const stack = await submitter.engine.createStack({ projectId: "p", name: "sealed", template: v1, parameters: { pw: "s3cret" } });
    await expect.poll(async () => (await submitter.store.getStack(stack.id))?.status, { timeout: 15_000 }).toBe("COMPLETE");
    await submitter.queue.stop();

    await submitter.engine.updateStack(stack.id, { template: v2, parameters: { pw: "s3cret" } });
    worker.queue.start(2);
    await expect.poll(async () => (await worker.store.getStackState(stack.id))?.status, { timeout: 15_000 }).toBe("FAILED");
    const failed = (await worker.store.getStackState(stack.id))!;
    expect(failed.action).toBe("UPDATE");
    expect(failed.statusReason).toMatch(/^Resource UPDATE failed: resources\.a: /);
    expect(failed.statusReason).toMatch(CANNOT_DECRYPT);
    expect(failed.currentTraversal).toBeNull();
    const [a] = await worker.store.findResourceStates(stack.id, "a");
    expect(a).toMatchObject({ action: "UPDATE", status: "FAILED", lockTraversal: null });
    expect(a!.statusReason).toMatch(CANNOT_DECRYPT);

    // The event stream says which resource, and the stack's own event says why.
    const events = () => seen.filter((n) => n.kind === "event" && n.status === "FAILED");
    await expect.poll(() => events().map((n) => n.resourceName)).toEqual(["a", "sealed"]);
    for (const e of events()) expect(e.reason).toMatch(CANNOT_DECRYPT);
    // Given up on at its first attempt, not retried: nothing is left queued.
    await expect.poll(checkJobsLeft, { timeout: 5_000 }).toEqual([]);
    expect(log.filter((l) => l.includes("will retry"))).toEqual([]);
    expect(log.join("\n")).not.toContain("s3cret");
  });

  it("a delete run by a worker with another key fails the same way", async () => {
    await worker.queue.stop();
    submitter.queue.start(2);
    const stack = await submitter.engine.createStack({ projectId: "p", name: "doomed", template: v1, parameters: { pw: "s3cret" } });
    await expect.poll(async () => (await submitter.store.getStack(stack.id))?.status, { timeout: 15_000 }).toBe("COMPLETE");
    await submitter.queue.stop();

    await submitter.engine.deleteStack(stack.id);
    worker.queue.start(2);
    await expect.poll(async () => (await worker.store.getStackState(stack.id))?.status, { timeout: 15_000 }).toBe("FAILED");
    const failed = (await worker.store.getStackState(stack.id))!;
    expect(failed.action).toBe("DELETE");
    expect(failed.statusReason).toMatch(/^Resource DELETE failed: resources\.a: /);
    expect(failed.statusReason).toMatch(CANNOT_DECRYPT);
    await expect.poll(checkJobsLeft, { timeout: 5_000 }).toEqual([]);
  });

  it("a nested stack that fails so fails the parent resource waiting for it, and the parent stack, at once", async () => {
    await worker.queue.stop();
    submitter.queue.start(2);
    const child = `
heat_template_version: 2018-08-31
parameters:
  pw: { type: string, hidden: true }
resources:
  slow: { type: OS::Heat::TestResource, properties: { value: { get_param: pw }, action_wait_secs: { create: 2 } } }
`;
    const parent = `
heat_template_version: 2018-08-31
parameters:
  pw: { type: string, hidden: true }
resources:
  inner: { type: child.yaml, properties: { pw: { get_param: pw } } }
`;
    const stack = await submitter.engine.createStack({ projectId: "p", name: "tree", template: parent, files: { "child.yaml": child }, parameters: { pw: "s3cret" } });
    // The nested stack's resource is waiting out its create when the submitter stops.
    const innerStack = async () => (await submitter.store.childStacks([(await submitter.store.findResources(stack.id, "inner"))[0]?.id ?? ""]))[0];
    const slowStatus = async () => {
      const nested = await innerStack();
      return nested && (await submitter.store.findResources(nested.id, "slow"))[0]?.status;
    };
    await expect.poll(slowStatus, { timeout: 15_000 }).toBe("IN_PROGRESS");
    await submitter.queue.stop();

    worker.queue.start(2);
    await expect.poll(async () => (await worker.store.getStackState(stack.id))?.status, { timeout: 15_000 }).toBe("FAILED");
    const failed = (await worker.store.getStackState(stack.id))!;
    expect(failed.statusReason).toMatch(/^Resource CREATE failed: resources\.inner: /);
    expect(failed.statusReason).toMatch(CANNOT_DECRYPT);
    const [inner] = await worker.store.findResourceStates(stack.id, "inner");
    expect(inner).toMatchObject({ action: "CREATE", status: "FAILED", lockTraversal: null });
    const nested = (await worker.store.getStackState((await innerStack())!.id))!;
    expect(nested).toMatchObject({ status: "FAILED", currentTraversal: null });
    expect(nested.statusReason).toMatch(/^Resource CREATE failed: resources\.slow: /);
    await expect.poll(checkJobsLeft, { timeout: 5_000 }).toEqual([]);
  });
});

describe("the API on a stack another key sealed", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-unreadable-"));
  const databaseUrl = `file:${path.join(dir, "kiln.db")}`;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 with the reason, and no trace", async () => {
    server = await startServer(databaseUrl, { KILN_DATA_DIR: dir });
    const created = await trpc<{ id: string }>(server, "stacks.create", { name: "foreign", template: v1, parameters: { pw: "s3cret" } }, "mutation");
    // Another process, with a key of its own, rewrites the stack's parameters.
    const db = await openDatabase(databaseUrl);
    const foreign = aesGcmCipher(randomBytes(32)).seal(JSON.stringify({ pw: "s3cret" }));
    await execute(db, sql`UPDATE "Stack" SET "parameters" = ${foreign} WHERE "id" = ${created.id}`);
    await db.close();

    const res = await fetch(`${server.url}/api/trpc/stacks.show?input=${encodeURIComponent(JSON.stringify({ stack: created.id }))}`, { headers: authHeaders(server) });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(CANNOT_DECRYPT);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|s3cret/);
  }, 60_000);
});
