import { describe, expect, it } from "vitest";
import { criticalPath } from "./criticalPath";
import type { LiveResource } from "./useLiveStack";

const r = (name: string, start: number, end: number, requires: string[] = []): [string, LiveResource] => [
  name,
  { key: name, name, stackPath: "", type: "T", action: "CREATE", status: "COMPLETE", reason: "", physicalId: null, requires, nestedStackId: null, spans: [{ action: "CREATE", status: "COMPLETE", start, end }], lastEventId: 0 },
];

describe("the critical path of a deployment", () => {
  it("follows, from the last resource to finish, the dependency each one waited for", () => {
    const resources = new Map([
      r("net", 0, 100),
      r("slow_db", 100, 3100, ["net"]),
      r("fast_cache", 100, 200, ["net"]),
      r("app", 3100, 3200, ["slow_db", "fast_cache"]),
      r("unrelated", 0, 50),
    ]);
    expect([...criticalPath(resources, 4000)]).toEqual(["app", "slow_db", "net"]);
  });

  it("is empty before anything ran", () => {
    expect(criticalPath(new Map(), 0).size).toBe(0);
  });
});
