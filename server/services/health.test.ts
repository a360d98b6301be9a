import { describe, expect, it } from "vitest";
import { publicHealth, type HealthReport } from "./health";

describe("what /healthz shows anyone", () => {
  it("says which part does not answer, not the driver's reason (which names hosts and users)", () => {
    const report: HealthReport = {
      ok: false,
      role: "all",
      database: { ok: false, provider: "postgresql", error: 'password authentication failed for user "kiln" at 10.0.0.5:5432' },
      queue: { ok: true, running: true },
    };
    const shown = publicHealth(report);
    expect(shown).toEqual({ ok: false, role: "all", database: { ok: false, provider: "postgresql", error: "not answering; the server log says why" }, queue: { ok: true, running: true } });
    expect(JSON.stringify(shown)).not.toContain("10.0.0.5");
  });
});
