import { describe, expect, it } from "vitest";
import { entryFromYaml } from "./cloudsYamlEntry";

const AUTH = "auth: {auth_url: 'http://ks:5000/v3', username: demo, password: s3cret, project_name: demo, user_domain_id: default, project_domain_id: default}";

describe("a pasted clouds.yaml entry", () => {
  it("reads a whole clouds.yaml with one cloud, one named cloud, or a bare entry, the same way", () => {
    const want = { auth: { auth_url: "http://ks:5000/v3", username: "demo", password: "s3cret", project_name: "demo", user_domain_id: "default", project_domain_id: "default" }, region_name: "RegionOne" };
    expect(entryFromYaml(`clouds:\n  mine:\n    ${AUTH}\n    region_name: RegionOne\n    identity_api_version: 3\n`)).toEqual(want);
    expect(entryFromYaml(`mine:\n  ${AUTH}\n  region_name: RegionOne\n`)).toEqual(want);
    expect(entryFromYaml(`${AUTH}\nregion_name: RegionOne\n`)).toEqual(want);
  });

  it("picks the cloud named among several, and says which exist when it is not there", () => {
    const text = `clouds:\n  a:\n    ${AUTH}\n  b:\n    ${AUTH.replace("demo,", "other,")}\n`;
    expect(entryFromYaml(text, "b").auth.username).toBe("other");
    expect(() => entryFromYaml(text)).toThrow("The text has 2 clouds (a, b); paste one, or name which");
    expect(() => entryFromYaml(text, "c")).toThrow('There is no cloud named "c"; there are: a, b');
  });

  it("says what is wrong with text that is not an entry", () => {
    expect(() => entryFromYaml("auth: [1, 2]")).toThrow('The entry has no "auth:" mapping');
    expect(() => entryFromYaml("just words")).toThrow("Paste a clouds.yaml, or one cloud's entry of it");
    expect(() => entryFromYaml("auth: {a: 1\n  b: [")).toThrow(/^The text is not YAML/);
  });
});
