import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { LocalProcessSignals, metadataChanges, RedisProcessSignals, type ProcessSignals } from "./processSignals";

const redisUrl = process.env.KILN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const opened: ProcessSignals[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

const received = (signals: ProcessSignals) => {
  const heard: string[] = [];
  signals.on("server-metadata", (id) => heard.push(`server ${id}`));
  signals.on("access-ended", (m) => heard.push(`access ${m}`));
  return heard;
};

describe("process signals", () => {
  it("reach every listener of their topic in the process, and a failing listener does not stop the others", () => {
    const errors: unknown[] = [];
    const signals = new LocalProcessSignals((e) => errors.push(e));
    signals.on("server-metadata", () => {
      throw new Error("listener broke");
    });
    const heard = received(signals);
    metadataChanges(signals).changed("server-1");
    signals.send("access-ended", "session s");
    expect(heard).toEqual(["server server-1", "access session s"]);
    expect(errors).toHaveLength(1);
  });

  it("reach the other processes of the same Kiln through Redis, and no other Kiln's", async () => {
    const prefix = `kiln-test-${randomUUID()}`;
    const log = pino({ level: "silent" });
    const worker = await RedisProcessSignals.connect(redisUrl, prefix, log);
    const web = await RedisProcessSignals.connect(redisUrl, prefix, log);
    const elsewhere = await RedisProcessSignals.connect(redisUrl, `${prefix}-other`, log);
    opened.push(worker, web, elsewhere);
    const atWeb = received(web);
    const atOtherKiln = received(elsewhere);
    metadataChanges(worker).changed("server-9");
    worker.send("access-ended", '{"user":"u1"}');
    await expect.poll(() => atWeb).toEqual(["server server-9", 'access {"user":"u1"}']);
    expect(atOtherKiln).toEqual([]);
  });
});
