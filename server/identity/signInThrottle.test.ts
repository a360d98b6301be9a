import { describe, expect, it } from "vitest";
import { FAILURES_PER_ADDRESS, FAILURES_PER_USER, SIGN_IN_WINDOW_MS, SignInThrottle } from "./signInThrottle";

function throttle() {
  let now = 1_000_000;
  const t = new SignInThrottle(() => now);
  return { t, later: (ms: number) => (now += ms) };
}

describe("failed sign-ins", () => {
  it("one address is refused after its failures, until the window ends", () => {
    const { t, later } = throttle();
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) {
      expect(t.waitSeconds("10.0.0.1", `guess${i}`)).toBe(0);
      t.failed("10.0.0.1", `guess${i}`);
    }
    expect(t.waitSeconds("10.0.0.1", "admin")).toBe(SIGN_IN_WINDOW_MS / 1000);
    expect(t.waitSeconds("10.0.0.2", "admin")).toBe(0);
    later(SIGN_IN_WINDOW_MS);
    expect(t.waitSeconds("10.0.0.1", "admin")).toBe(0);
  });

  it("one user name is refused after failures from many addresses; a success clears it", () => {
    const { t } = throttle();
    for (let i = 0; i < FAILURES_PER_USER; i++) t.failed(`10.0.${i}.1`, "admin");
    expect(t.waitSeconds("192.168.1.1", "admin")).toBeGreaterThan(0);
    expect(t.waitSeconds("192.168.1.1", "alice")).toBe(0);
    t.succeeded("admin");
    expect(t.waitSeconds("192.168.1.1", "admin")).toBe(0);
  });

  it("keeps a bounded number of counts however many addresses try", () => {
    const { t } = throttle();
    for (let i = 0; i < 30_000; i++) t.failed(`a${i}`, "x");
    expect((t as unknown as { counts: Map<string, unknown> }).counts.size).toBeLessThanOrEqual(10_000);
  });
});
