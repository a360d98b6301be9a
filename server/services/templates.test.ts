/** Validation answers as a create would: a nested template's problem makes the template invalid, where it is. */
import { describe, expect, it } from "vitest";
import { validateTemplate } from "./templates";

const top = `heat_template_version: 2018-08-31
resources:
  p: {type: inner.yaml}
`;
const inner = (type: string) => `heat_template_version: 2018-08-31
resources:
  r:
    type: ${type}
`;

describe("template validate", () => {
  it("reports a problem in a nested template at its place in that file", () => {
    const v = validateTemplate({ template: top, files: { "inner.yaml": inner("OS::Heat::Nonesuch") } });
    expect(v.valid).toBe(false);
    expect(v.errors).toEqual([expect.objectContaining({ path: "resources.p.resources.r.type", file: "inner.yaml", line: 4, column: 5, message: expect.stringContaining('"OS::Heat::Nonesuch"') })]);
  });

  it("a valid nested template keeps the template valid", () => {
    expect(validateTemplate({ template: top, files: { "inner.yaml": inner("OS::Heat::None") } })).toMatchObject({ valid: true, errors: [] });
  });
});
