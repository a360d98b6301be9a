import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { prefetchScript } from "./prefetch";

/** Runs the script as a browser would, with a window and a fetch that records what it is asked for. */
function run(script: string) {
  const asked: string[] = [];
  const window: { __kilnPrefetched?: Record<string, unknown> } = {};
  vm.runInNewContext(script, { window, fetch: (url: string) => (asked.push(url), Promise.resolve(undefined)) });
  return { asked, keys: Object.keys(window.__kilnPrefetched ?? {}) };
}

describe("prefetchScript", () => {
  it("asks for each query once, one GET each, with the input the page will call it with", () => {
    const { asked, keys } = run(prefetchScript([{ path: "stacks.show", input: { stack: "web" } }, { path: "resources.list", input: { stack: "web", nestedDepth: 5 } }]));
    expect(asked.map((u) => decodeURIComponent(u))).toEqual(['/api/trpc/stacks.show?input={"stack":"web"}', '/api/trpc/resources.list?input={"stack":"web","nestedDepth":5}']);
    expect(keys).toHaveLength(2);
  });

  it("keeps an input that closes the script tag, or holds line separators, inside its string", () => {
    const hostile = '</script><script>alert(1)</script>\u2028\u2029"\\';
    const script = prefetchScript([{ path: "stacks.show", input: { stack: hostile } }]);
    expect(script).not.toMatch(/<\/script/i);
    expect(script).not.toMatch(/[\u2028\u2029]/);
    const { asked } = run(script);
    expect(JSON.parse(new URL(asked[0]!, "http://kiln").searchParams.get("input")!)).toEqual({ stack: hostile });
  });
});
