import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildInputsHash, buildIsCurrent, stampPath } from "./buildInputs";

describe("whether the build in .next is current", () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const built = () => {
    write(".next/BUILD_ID", "abc");
    fs.writeFileSync(stampPath(root), buildInputsHash(root));
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-build-"));
    write("package-lock.json", "{}");
    write("app/page.tsx", "export default 1");
    write("server/engine/dag.ts", "export {}");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is current right after a build, and after the files are touched without a change", () => {
    built();
    expect(buildIsCurrent(root)).toBe(true);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "app/page.tsx"), later, later);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it("is stale when a source, the lock file or the set of files changes", () => {
    built();
    write("app/page.tsx", "export default 2");
    expect(buildIsCurrent(root)).toBe(false);
    built();
    write("package-lock.json", '{"v":2}');
    expect(buildIsCurrent(root)).toBe(false);
    built();
    write("app/new/page.tsx", "export default 3");
    expect(buildIsCurrent(root)).toBe(false);
  });

  it("ignores tests and generated clients, which no build reads", () => {
    built();
    write("server/engine/dag.test.ts", "test");
    write("server/store/generated/sqlite/index.js", "x");
    expect(buildIsCurrent(root)).toBe(true);
  });

  it("is stale with no finished build or no record of its inputs", () => {
    expect(buildIsCurrent(root)).toBe(false);
    write(".next/BUILD_ID", "abc");
    expect(buildIsCurrent(root)).toBe(false);
  });
});
