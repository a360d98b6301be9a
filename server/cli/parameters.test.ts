import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliFailure, UsageError } from "./exit";
import { parseParameters } from "./parameters";

describe("--parameter", () => {
  it("makes string values, keeping everything after the first =", () => {
    expect(parseParameters(["count=3", "url=http://x/?a=b", "empty="])).toEqual({ count: "3", url: "http://x/?a=b", empty: "" });
  });

  it("splits KEY=VALUE;KEY2=VALUE2 given once", () => {
    expect(parseParameters(["a=1;b=two"])).toEqual({ a: "1", b: "two" });
  });

  it("keeps a ; that is part of a value", () => {
    expect(parseParameters(["script=echo a; echo b"])).toEqual({ script: "echo a; echo b" });
  });

  it("refuses a value without a key, and a key given twice", () => {
    expect(() => parseParameters(["novalue"])).toThrow(UsageError);
    expect(() => parseParameters(["=1"])).toThrow(/expected KEY=VALUE/);
    expect(() => parseParameters(["a=1", "a=2"])).toThrow(/"a" is given more than once/);
  });

  it("--parameter-file sends the file's content, read relative to the working directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kiln-params-"));
    writeFileSync(path.join(dir, "key.pub"), "ssh-ed25519 AAAA\n");
    expect(parseParameters(["a=1"], ["key=key.pub"], dir)).toEqual({ a: "1", key: "ssh-ed25519 AAAA\n" });
    expect(() => parseParameters([], ["key=missing.pub"], dir)).toThrow(CliFailure);
  });
});
