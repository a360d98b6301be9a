/**
 * The short form of `npm run test:kill`: a few trials of SIGKILLing one of two workers on
 * PostgreSQL + Redis mid-create, some on a burst of wake-ups. Nothing stays stuck, nothing is
 * created twice, and each kill is recovered from within the bound.
 */
import { expect, it } from "vitest";
import { runKillTrials, summarise } from "./testing/killWorkers";

it("a worker SIGKILLed at random moments leaves no stack stuck and creates nothing twice", async () => {
  const results = await runKillTrials({ trials: 3, seed: 2, boundMs: 30_000, redisUrl: process.env.KILN_TEST_REDIS_URL });
  const summary = summarise(results);
  expect(summary).toMatchObject({ trials: 3, stuck: 0, duplicated: 0 });
  expect(summary.recoveryMs.max).toBeLessThan(20_000);
}, 110_000);
