import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { LocalMetadataChanges, RedisMetadataChanges, type MetadataChanges } from "./metadataChanges";

const redisUrl = process.env.KILN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const opened: MetadataChanges[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

const received = (changes: MetadataChanges) => {
  const ids: string[] = [];
  changes.subscribe((id) => ids.push(id));
  return ids;
};

describe("server metadata changes", () => {
  it("reach every listener in the process, and a failing listener does not stop the others", () => {
    const errors: unknown[] = [];
    const changes = new LocalMetadataChanges((e) => errors.push(e));
    changes.subscribe(() => {
      throw new Error("listener broke");
    });
    const ids = received(changes);
    changes.changed("server-1");
    expect(ids).toEqual(["server-1"]);
    expect(errors).toHaveLength(1);
  });

  it("reach the web process holding the agent when a worker process makes them (Redis)", async () => {
    const prefix = `kiln-test-${randomUUID()}`;
    const log = pino({ level: "silent" });
    const worker = await RedisMetadataChanges.connect(redisUrl, prefix, log);
    const web = await RedisMetadataChanges.connect(redisUrl, prefix, log);
    const elsewhere = await RedisMetadataChanges.connect(redisUrl, `${prefix}-other`, log);
    opened.push(worker, web, elsewhere);
    const atWeb = received(web);
    const atOtherKiln = received(elsewhere);
    worker.changed("server-9");
    await expect.poll(() => atWeb).toEqual(["server-9"]);
    expect(atOtherKiln).toEqual([]);
  });
});
