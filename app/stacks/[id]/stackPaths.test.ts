import { describe, expect, it } from "vitest";
import { naturalOrder, relativePath, resourceKey } from "./stackPaths";

describe("stack paths", () => {
  it("keys a nested resource by its stack's path", () => {
    expect(resourceKey("", "web")).toBe("web");
    expect(resourceKey("group/0", "server")).toBe("group/0/server");
  });

  it("sees paths from a nested stack's page, and leaves out what lies outside it", () => {
    expect(relativePath("group/0", "")).toBe("group/0");
    expect(relativePath("group", "group")).toBe("");
    expect(relativePath("group/0", "group")).toBe("0");
    expect(relativePath("group/0/inner", "group/0")).toBe("inner");
    expect(relativePath("", "group")).toBeUndefined();
    expect(relativePath("groupie", "group")).toBeUndefined();
    expect(relativePath("other/0", "group")).toBeUndefined();
  });

  it("orders names as a reader counts: r2 before r10, a group's members by number", () => {
    expect(["r10", "r2", "r1", "group/10/a", "group/9/a"].sort(naturalOrder)).toEqual(["group/9/a", "group/10/a", "r1", "r2", "r10"]);
  });
});
