import { describe, expect, it } from "vitest";
import { ExpiringCache } from "./expiringCache";
import { kilnRoleOf } from "./keystoneIdentity";

describe("Keystone roles become Kiln roles, the strongest winning", () => {
  it.each([
    [["reader"], "reader"],
    [["member"], "member"],
    [["_member_"], "member"],
    [["reader", "member"], "member"],
    [["member", "admin", "reader"], "admin"],
    [["Admin"], "admin"],
    [["heat_stack_owner", "load-balancer_member"], undefined],
    [[], undefined],
  ])("%j → %s", (roles, role) => {
    expect(kilnRoleOf(roles)).toBe(role);
  });
});

describe("the validation cache", () => {
  it("answers an entry until its own expiry and never after", () => {
    let now = 1_000;
    const cache = new ExpiringCache<string>(10, () => now);
    cache.set("a", "A", 1_500);
    now = 1_499;
    expect(cache.get("a")).toBe("A");
    now = 1_500;
    expect(cache.get("a")).toBeUndefined();
    cache.set("b", "B", 1_000);
    expect(cache.get("b")).toBeUndefined();
  });

  it("keeps at most its bound, dropping the entry stored longest ago", () => {
    const cache = new ExpiringCache<number>(3, () => 0);
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, 10);
    expect(cache.size).toBe(3);
    expect([0, 1, 2, 3, 4].map((i) => cache.get(`k${i}`))).toEqual([undefined, undefined, 2, 3, 4]);
  });
});
