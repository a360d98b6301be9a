import { describe, expect, it } from "vitest";
import { inDependencyOrder } from "./dependencyOrder";

const r = (name: string, requires: string[] = [], stackId = "top") => ({ name, requires, stackId });
const names = (rs: { name: string; stackId: string }[]) => rs.map((x) => (x.stackId === "top" ? x.name : `${x.stackId}/${x.name}`));

describe("the order kiln stack resource list prints", () => {
  it("puts what a resource depends on before it, and breaks ties by name", () => {
    const listed = [r("port", ["subnet", "net"]), r("server", ["port"]), r("subnet", ["net"]), r("net"), r("key")];
    expect(names(inDependencyOrder(listed))).toEqual(["key", "net", "subnet", "port", "server"]);
  });

  it("keeps each nested stack's resources together, after its parent's", () => {
    const listed = [r("group"), r("b", [], "child"), r("a", ["b"], "child"), r("alone")];
    expect(names(inDependencyOrder(listed))).toEqual(["alone", "group", "child/b", "child/a"]);
  });

  it("lists every resource even when dependencies loop or name a resource that is gone", () => {
    const listed = [r("x", ["y"]), r("y", ["x"]), r("z", ["deleted"])];
    expect(names(inDependencyOrder(listed)).sort()).toEqual(["x", "y", "z"]);
    expect(names(inDependencyOrder(listed))[0]).toBe("z");
  });
});
