import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pasteResources } from "./clipboard";
import { readTemplate, removeResource } from "./hotDocument";

const TEMPLATE = `heat_template_version: 2018-08-31
resources:
  base:
    type: OS::Heat::RandomString
  web:
    type: OS::Heat::TestResource
    properties:
      value: { get_attr: [base, value] }   # from base
      other: { get_resource: db }
    depends_on: [db]
  db:
    type: OS::Heat::None
`;

describe("pasting copied resources", () => {
  it("copies get fresh names; references among the copies follow them, others are kept", () => {
    const { text, names } = pasteResources(TEMPLATE, { text: TEMPLATE, names: ["web", "db"] });
    expect([...names]).toEqual([
      ["web", "web_2"],
      ["db", "db_2"],
    ]);
    expect(text.startsWith(TEMPLATE)).toBe(true);
    const r = parse(text).resources;
    expect(r.web_2).toEqual({ type: "OS::Heat::TestResource", properties: { value: { get_attr: ["base", "value"] }, other: { get_resource: "db_2" } }, depends_on: ["db_2"] });
    expect(r.db_2).toEqual({ type: "OS::Heat::None" });
    expect(text).toContain("# from base");
    const edges = readTemplate(text).refs.filter((e) => e.to === "web_2").map((e) => `${e.from}→${e.to}`);
    expect(edges).toEqual(["db_2→web_2", "base→web_2", "db_2→web_2"]);
  });

  it("pasting again numbers on, and works after the originals are gone", () => {
    const copied = { text: TEMPLATE, names: ["web"] };
    const once = pasteResources(TEMPLATE, copied).text;
    expect(pasteResources(once, copied).names.get("web")).toBe("web_3");
    const gone = removeResource(TEMPLATE, "web");
    const back = pasteResources(gone, copied);
    expect(back.names.get("web")).toBe("web");
    expect(parse(back.text).resources.web.depends_on).toEqual(["db"]);
  });

  it("refuses when nothing copied is left to paste", () => {
    expect(() => pasteResources(TEMPLATE, { text: "resources: {}\n", names: ["web"] })).toThrow();
  });
});
