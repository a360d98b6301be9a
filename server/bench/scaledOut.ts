/**
 * `npm run bench scaled`: the scaled-out mode (PostgreSQL + Redis) on this machine.
 *
 * - In this process, one runtime as a worker process has it (BullMQ queue, Redis notification
 *   bus, the worker's default consumers) converges 1,000 independent resources; the bench
 *   counts the database round trips and Redis commands it made, per resource.
 * - Then 1 and 2 real `worker` processes (server/main.ts) converge the same stack created from
 *   here, so the figure includes everything a worker process does; their CPU per resource is
 *   read from /proc, a count that a machine shared with other work disturbs less than time.
 *
 * Needs PostgreSQL (KILN_TEST_POSTGRES_URL) and Redis (KILN_TEST_REDIS_URL) as the tests do.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { Redis } from "ioredis";
import pino from "pino";
import { defaultWorkers } from "../config";
import { BullmqQueue } from "../queue/bullmqQueue";
import { RedisNotificationBus } from "../notify/redisNotificationBus";
import { createRuntime, type Runtime } from "../services/runtime";
import { openDatabase, type Database } from "../store/database";
import { aesGcmCipher } from "../store/columnCipher";
import { tempPostgresUrl } from "../store/testing/testDatabases";
import { startServer } from "../testing/serverProcess";
import { independent } from "./templates";
import { timed } from "./stackTiming";

type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const redisUrl = process.env.KILN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const N = 1000;
const PROJECT = "bench";
/** A worker process's consumers when KILN_WORKERS is not set (server/config.ts). */
const WORKER_CONSUMERS = Number(process.env.KILN_WORKERS ?? defaultWorkers("postgresql"));

/** Counts every command any ioredis connection of this process sends (BullMQ's and the bus's). */
function countRedisCommands() {
  const proto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const original = proto.sendCommand;
  const counter = { n: 0 };
  proto.sendCommand = function (this: unknown, ...args: unknown[]) {
    counter.n++;
    return original.apply(this, args);
  };
  return { counter, restore: () => (proto.sendCommand = original) };
}

/**
 * A runtime on a throw-away PostgreSQL database and its own Redis prefix, as a scaled-out
 * process has it; `consumers` 0 for one that only submits. `fn` gets what other processes
 * need to join it: the database, the prefix and the key sealing its secret columns.
 */
async function withScaledRuntime<T>(
  consumers: number,
  fn: (rt: Runtime, shared: { url: string; prefix: string; key: Buffer }, database: Database) => Promise<T>,
): Promise<T> {
  const db = await tempPostgresUrl();
  const prefix = `kiln-bench-${process.pid}-${Date.now()}`;
  const log = pino({ level: "warn" });
  const database = await openDatabase(db.url);
  const queue = BullmqQueue.fromUrl(redisUrl, log, prefix);
  const bus = await RedisNotificationBus.connect(redisUrl, prefix, log);
  // Worker processes must open what this one seals: one key for all.
  const key = randomBytes(32);
  const rt = createRuntime(database, log, { queue, bus, publicUrl: () => "http://localhost:3000", clouds: false, cipher: aesGcmCipher(key) });
  if (consumers > 0) queue.start(consumers);
  try {
    return await fn(rt, { url: db.url, prefix, key }, database);
  } finally {
    await queue.close(1000);
    bus.close();
    await database.close();
    await db.dispose();
    await dropKeys(prefix);
  }
}

async function dropKeys(prefix: string) {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** One worker's work, in this process, counted. */
async function benchScaledOutInProcess(report: Report) {
  await withScaledRuntime(WORKER_CONSUMERS, async (rt, _shared, db) => {
    // Warm up (JIT, prepared statements, connections) on a small stack first.
    await timed(rt, "warm", "CREATE", () => rt.engine.createStack({ projectId: PROJECT, name: "warm", template: independent(50) }));
    const redis = countRedisCommands();
    const sentBefore = { ...db.postgres!.counts };
    const cpuBefore = process.cpuUsage();
    try {
      const ms = await timed(rt, "flat", "CREATE", () => rt.engine.createStack({ projectId: PROJECT, name: "flat", template: independent(N) }));
      const sent = db.postgres!.counts;
      const cpu = process.cpuUsage(cpuBefore);
      report("scaled_out_in_process_create_1000_independent_none", (N / ms) * 1000, "resources/s", {
        ms: Math.round(ms),
        // This process's CPU alone (the engine, pg, ioredis): what bounds one worker process.
        cpu_ms_per_resource: Math.round(((cpu.user + cpu.system) / 1000 / N) * 100) / 100,
        db_statements_per_resource: Math.round(((sent.statements - sentBefore.statements) / N) * 100) / 100,
        // Each write to the server carries the statements of a turn (postgresDirect.ts).
        db_writes_per_resource: Math.round(((sent.writes - sentBefore.writes) / N) * 100) / 100,
        redis_commands_per_resource: Math.round((redis.counter.n / N) * 100) / 100,
      });
    } finally {
      redis.restore();
    }
  });
}

/**
 * Creates a stack this process does not converge, and times it to the stack's final state as
 * the database holds it: read whenever a batch of the workers' notifications arrives through
 * Redis (see notify/redisNotificationBus.ts), and every 20 ms besides, as a batch can be lost.
 */
async function createdByWorkers(rt: Runtime, name: string, n: number) {
  const t0 = performance.now();
  const { id } = await rt.engine.createStack({ projectId: PROJECT, name, template: independent(n) });
  let wake = () => {};
  const stop = rt.bus.subscribe("*", () => wake());
  try {
    for (;;) {
      const stack = await rt.store.getStack(id);
      if (stack && stack.status !== "IN_PROGRESS") {
        if (stack.status !== "COMPLETE") throw new Error(`${name} CREATE failed: ${stack.statusReason}`);
        return performance.now() - t0;
      }
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 20);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  } finally {
    stop();
  }
}

/** CPU time a process has used, in ms: utime and stime of /proc/<pid>/stat, in ticks of 10 ms. NaN off Linux. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of this machine's PostgreSQL server processes (its backends, the WAL writer…), in ms:
 * what a resource costs the database besides the workers' own, when the server runs here. NaN
 * when no process named postgres is visible.
 */
function postgresCpuMs(): number {
  let total = 0;
  let seen = false;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
    } catch {
      continue; // gone meanwhile
    }
    const ms = cpuMsOf(Number(pid));
    if (Number.isNaN(ms)) continue;
    total += ms;
    seen = true;
  }
  return seen ? total : NaN;
}

/** Resources per second of the embedded create of 1000 (`bench create`): the first of its process, and once warm. */
export interface EmbeddedCreates {
  first: number;
  warm: number;
}

/**
 * 1 and then 2 worker processes converge a stack created by this (web-like, consumer-less)
 * process: warmed up as the embedded figure is (a create of 100), then 1000 twice, the second
 * time with the workers' JIT warm, as a worker that has run a while.
 */
async function workerProcesses(report: Report, workers: number) {
  return withScaledRuntime(0, async (rt, { url, prefix, key }) => {
    const env = { REDIS_URL: redisUrl, KILN_REDIS_PREFIX: prefix, KILN_ROLE: "worker", KILN_SECRET_KEY: key.toString("base64") };
    const servers = await Promise.all(Array.from({ length: workers }, () => startServer(url, env)));
    try {
      await createdByWorkers(rt, "warm", 100);
      const cpu = () => servers.reduce((sum, s) => sum + cpuMsOf(s.child.pid), 0);
      const rates: EmbeddedCreates = { first: 0, warm: 0 };
      for (const when of ["first", "warm"] as const) {
        const cpuBefore = cpu();
        const postgresBefore = postgresCpuMs();
        const ms = await createdByWorkers(rt, `flat-${when}`, N);
        rates[when] = (N / ms) * 1000;
        const processes = `${workers}_worker_process${workers > 1 ? "es" : ""}`;
        report(`scaled_out_${processes}_create_1000_independent_none${when === "warm" ? "_warm" : ""}`, rates[when], "resources/s", {
          ms: Math.round(ms),
          worker_cpu_ms_per_resource: Math.round(((cpu() - cpuBefore) / N) * 100) / 100,
          // The database's share of the same cores (its server on this machine, as in the tests).
          postgres_cpu_ms_per_resource: Math.round(((postgresCpuMs() - postgresBefore) / N) * 100) / 100,
        });
      }
      return rates;
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
}

export async function benchScaledOut(report: Report, embedded: EmbeddedCreates) {
  await benchScaledOutInProcess(report);
  const one = await workerProcesses(report, 1);
  report("scaled_out_1_worker_process_over_embedded", one.first / embedded.first, "ratio", {
    warm: Math.round((one.warm / embedded.warm) * 100) / 100,
    note: "one worker process's create of 1000 over the embedded one's of this run (bench create), the first of each process; warm: the second of each",
    target: ">= 0.5",
  });
  const two = await workerProcesses(report, 2);
  report("scaled_out_2_workers_over_1", two.first / one.first, "ratio", { warm: Math.round((two.warm / one.warm) * 100) / 100, target: ">= 1" });
}
