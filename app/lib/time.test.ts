import { describe, expect, it } from "vitest";
import { absoluteTime, clockTime, relativeTime } from "./time";

describe("clockTime", () => {
  it("is the local time of day, 24-hour, every field padded, to the millisecond", () => {
    expect(clockTime(new Date(2026, 11, 2, 7, 5, 3, 9).getTime())).toBe("07:05:03.009");
    expect(clockTime(new Date(2026, 11, 2, 23, 59, 59, 999).toISOString())).toBe("23:59:59.999");
    expect(clockTime(new Date(2026, 11, 2, 0, 0, 0, 42).getTime())).toBe("00:00:00.042");
  });
});

describe("relativeTime", () => {
  it("says how long ago in the largest whole unit, and a time ahead of the clock is just now", () => {
    expect(relativeTime(-5_000)).toBe("just now");
    expect(relativeTime(44_000)).toBe("just now");
    expect(relativeTime(3 * 60_000)).toBe("3 min ago");
    expect(relativeTime(5 * 3_600_000)).toBe("5 h ago");
    expect(relativeTime(2 * 86_400_000)).toBe("2 d ago");
  });
});

describe("absoluteTime", () => {
  it("counts the hours from 00 to 23, whatever the locale's 12- or 24-hour habit", () => {
    expect(absoluteTime(new Date(2026, 0, 1, 0, 5, 3).getTime())).toContain("00:05:03");
    expect(absoluteTime(new Date(2026, 0, 1, 23, 5, 3).toISOString())).toContain("23:05:03");
  });
});
