import { describe, expect, it } from "vitest";
import { iso } from "./records";

describe("iso", () => {
  it("reads each form a time comes back in as the same ISO text", () => {
    const when = new Date("2026-11-30T05:07:09.045Z");
    expect(iso(when)).toBe("2026-11-30T05:07:09.045Z");
    expect(iso("2026-11-30T05:07:09.045+00:00")).toBe("2026-11-30T05:07:09.045Z");
    expect(iso(when.getTime())).toBe("2026-11-30T05:07:09.045Z");
    // Text in another zone or form is converted, not trimmed.
    expect(iso("2026-11-30T06:07:09.045+01:00")).toBe("2026-11-30T05:07:09.045Z");
    expect(iso("2026-11-30 05:07:09")).toBe(new Date("2026-11-30 05:07:09").toISOString());
  });
});
