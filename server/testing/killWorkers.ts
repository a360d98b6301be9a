/**
 * Kill trials on the real servers: PostgreSQL, Redis, one `web` and two `worker` processes.
 * Each trial creates stacks shaped for bursts of simultaneous wake-ups (many TestResources
 * that wait the same time, fanning in), SIGKILLs a worker at a seeded random moment (half of
 * them aimed at the burst), starts it again, and checks that every stack reaches
 * CREATE_COMPLETE in time with every resource created once.
 *
 *   npm run test:kill -- [trials=20] [seed=1]
 *
 * A short form runs inside `npm test` (killWorkers.integration.test.ts).
 */
import { Redis } from "ioredis";
import pg from "pg";
import { tempPostgresUrl } from "../store/testing/testDatabases";
import { startServer, trpc, type ServerProcess } from "./serverProcess";

export interface TrialResult {
  trial: number;
  killedAfterMs: number;
  stacks: number;
  stuck: number;
  /** Resources with more than one CREATE_COMPLETE event. */
  duplicated: number;
  /** From the kill to the last stack complete. */
  recoveryMs: number;
  /** Stacks the reconciler had to drive on (their jobs were lost, not just delayed). */
  redriven: number;
}

export interface KillOptions {
  trials: number;
  seed: number;
  /** A trial whose stacks are not all complete this long after the kill counts them stuck. */
  boundMs?: number;
  redisUrl?: string;
  log?: (line: string) => void;
}

/** Wake-up bursts: `width` resources wait the same second, fan in, and a second wave fans out and in again. */
function burstTemplate(width: number): string {
  let t = "heat_template_version: 2018-08-31\nresources:\n";
  for (let i = 0; i < width; i++) t += `  w${i}:\n    type: OS::Heat::TestResource\n    properties:\n      action_wait_secs: { create: 1 }\n`;
  t += `  join:\n    type: OS::Heat::TestResource\n    depends_on: [${Array.from({ length: width }, (_, i) => `w${i}`).join(", ")}]\n`;
  for (let i = 0; i < width; i++) {
    t += `  v${i}:\n    type: OS::Heat::TestResource\n    depends_on: [join]\n    properties:\n      action_wait_secs: { create: 0.5 }\n`;
  }
  t += `  last:\n    type: OS::Heat::TestResource\n    depends_on: [${Array.from({ length: width }, (_, i) => `v${i}`).join(", ")}]\n`;
  return t;
}

/** mulberry32: a small seeded generator, so a failing trial can be run again. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runKillTrials(opts: KillOptions): Promise<TrialResult[]> {
  const log = opts.log ?? (() => {});
  const redisUrl = opts.redisUrl ?? "redis://127.0.0.1:6379";
  const boundMs = opts.boundMs ?? 45_000;
  const rand = random(opts.seed);
  const db = await tempPostgresUrl();
  const prefix = `kiln-kill-${process.pid}-${Date.now()}`;
  const env = { REDIS_URL: redisUrl, KILN_REDIS_PREFIX: prefix };
  const startWorker = () => startServer(db.url, { ...env, KILN_ROLE: "worker" });
  const servers: ServerProcess[] = [];
  const client = new pg.Client({ connectionString: db.url });
  let keep = false;
  try {
    servers.push(await startServer(db.url, { ...env, KILN_ROLE: "web" }), await startWorker(), await startWorker());
    await client.connect();
    const web = servers[0]!;
    const template = burstTemplate(12);
    const results: TrialResult[] = [];
    for (let trial = 0; trial < opts.trials; trial++) {
      const ids: string[] = [];
      for (let s = 0; s < 2; s++) {
        ids.push((await trpc<{ id: string }>(web, "stacks.create", { name: `t${trial}_${s}`, template }, "mutation")).id);
      }
      // Half the kills land on the first wave's wake-up (about 1 s in), the rest anywhere in the create.
      const killedAfterMs = Math.round(trial % 2 === 0 ? 900 + rand() * 300 : rand() * 2_500);
      await sleep(killedAfterMs);
      const victim = 1 + Math.floor(rand() * 2);
      await servers[victim]!.stop("SIGKILL");
      const killedAt = Date.now();
      servers[victim] = await startWorker();

      let pending = ids;
      while (pending.length && Date.now() - killedAt < boundMs) {
        await sleep(200);
        const { rows } = await client.query<{ id: string }>(`SELECT "id" FROM "Stack" WHERE "id" = ANY($1) AND NOT ("action" = 'CREATE' AND "status" = 'COMPLETE')`, [pending]);
        pending = rows.map((r) => r.id);
      }
      const recoveryMs = Date.now() - killedAt;
      const { rows: twice } = await client.query<{ stackId: string; resourceName: string }>(
        `SELECT "stackId", "resourceName" FROM "Event"
           WHERE "stackId" = ANY($1) AND "kind" = 'event' AND "action" = 'CREATE' AND "status" = 'COMPLETE' AND "resourceName" <> ''
           GROUP BY "stackId", "resourceName" HAVING COUNT(*) > 1`,
        [ids],
      );
      const { rows: redriven } = await client.query<{ n: string }>(
        `SELECT COUNT(DISTINCT "stackId") AS "n" FROM "Event" WHERE "stackId" = ANY($1) AND "kind" = 'warning' AND "reason" LIKE 'Nothing was queued%'`,
        [ids],
      );
      const result = { trial, killedAfterMs, stacks: ids.length, stuck: pending.length, duplicated: twice.length, recoveryMs, redriven: Number(redriven[0]!.n) };
      results.push(result);
      log(JSON.stringify(result));
      if (pending.length) log(`stuck stacks: ${pending.join(", ")} (database ${db.url} kept)`);
      if (twice.length) log(`created twice: ${twice.map((r) => `${r.stackId}/${r.resourceName}`).join(", ")} (database ${db.url} kept)`);
      keep ||= pending.length > 0 || twice.length > 0;
    }
    return results;
  } finally {
    await client.end().catch(() => {});
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    if (!keep) await db.dispose();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

/** Summary of a run: the figures the README quotes. */
export function summarise(results: TrialResult[]) {
  const times = results.map((r) => r.recoveryMs).sort((a, b) => a - b);
  return {
    trials: results.length,
    stacks: results.reduce((n, r) => n + r.stacks, 0),
    stuck: results.reduce((n, r) => n + r.stuck, 0),
    duplicated: results.reduce((n, r) => n + r.duplicated, 0),
    redriven: results.reduce((n, r) => n + r.redriven, 0),
    recoveryMs: { min: times[0], median: times[Math.floor(times.length / 2)], max: times.at(-1) },
  };
}

if (process.argv[1]?.endsWith("killWorkers.ts")) {
  const [trials = "20", seed = "1"] = process.argv.slice(2);
  runKillTrials({ trials: Number(trials), seed: Number(seed), log: (l) => console.log(l) })
    .then((results) => {
      const summary = summarise(results);
      console.log(JSON.stringify(summary));
      process.exit(summary.stuck || summary.duplicated ? 1 : 0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
