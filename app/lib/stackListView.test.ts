import { describe, expect, it } from "vitest";
import { viewStacks, type ListedStack } from "./stackListView";

const stack = (name: string, state: string, createdAt: string, updatedAt = createdAt): ListedStack => {
  const [action, status] = [state.slice(0, state.indexOf("_")), state.slice(state.indexOf("_") + 1)];
  return { name, action, status, stackStatus: state, createdAt, updatedAt };
};
const stacks = [
  stack("web", "CREATE_COMPLETE", "2026-11-01T10:00:00Z", "2026-11-20T10:00:00Z"),
  stack("db", "UPDATE_FAILED", "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z"),
  stack("Web-staging", "ROLLBACK_COMPLETE", "2026-11-03T10:00:00Z", "2026-11-04T10:00:00Z"),
  stack("cache", "UPDATE_IN_PROGRESS", "2026-10-01T10:00:00Z", "2026-11-29T10:00:00Z"),
];
const names = (v: Parameters<typeof viewStacks>[1]) => viewStacks(stacks, v).map((s) => s.name);

describe("the stack list's view", () => {
  it("shows the newest first by default", () => {
    expect(names({})).toEqual(["Web-staging", "db", "web", "cache"]);
  });

  it("searches names (any case) and statuses", () => {
    expect(names({ search: "WEB" })).toEqual(["Web-staging", "web"]);
    expect(names({ search: "failed" })).toEqual(["db"]);
  });

  it("filters by the status's colour family: a rollback is not complete", () => {
    expect(names({ status: "complete" })).toEqual(["web"]);
    expect(names({ status: "rolledback" })).toEqual(["Web-staging"]);
    expect(names({ status: "progress", search: "web" })).toEqual([]);
  });

  it("sorts by name, status, created and updated, either way", () => {
    expect(names({ sort: "name" })).toEqual(["cache", "db", "web", "Web-staging"]);
    expect(names({ sort: "name", dir: "desc" })).toEqual(["Web-staging", "web", "db", "cache"]);
    expect(names({ sort: "status" })).toEqual(["web", "Web-staging", "db", "cache"]);
    expect(names({ sort: "updated" })).toEqual(["cache", "web", "Web-staging", "db"]);
    expect(names({ sort: "created", dir: "asc" })).toEqual(["cache", "web", "db", "Web-staging"]);
  });

  it("an unknown sort or direction in a hand-edited URL falls back to the default", () => {
    expect(names({ sort: "bogus", dir: "sideways" })).toEqual(names({}));
  });
});
