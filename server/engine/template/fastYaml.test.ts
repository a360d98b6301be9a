import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fastLoad } from "./fastYaml";
import { carefulParse } from "./source";

const corpus = path.join(__dirname, "..", "templates-corpus");
const files = fs
  .readdirSync(corpus, { recursive: true })
  .map(String)
  .filter((f) => /\.(ya?ml|json)$/.test(f));

describe("the fast loader reads templates exactly as the positioned one does", () => {
  it.each(files)("%s", (file) => {
    const text = fs.readFileSync(path.join(corpus, file), "utf8");
    expect(fastLoad(text)?.value).toEqual(carefulParse(text).value);
  });

  it.each([
    ["booleans the way Heat's PyYAML reads them", "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: True"],
    ["dates stay strings", "v: 2016-10-14\nw: 2001-12-14t21:59:43.10-05:00"],
    ["numbers of YAML 1.1", "o: 010\nd: 09\nh: 0x1F\nb: 0b101\nu: 1_000\nf: 1.5\ne: 1e3\ni: -.inf\nn: .nan\ns: 1:20\nt: -1:20.5"],
    ["nulls", "a: ~\nb: null\nc:\nd: NULL"],
    ["quoted scalars stay strings", "a: 'yes'\nb: \"010\"\nc: '2016-10-14'"],
    ["block scalars", "script: |\n  #!/bin/sh\n  echo hi\nfolded: >\n  one\n  two\n"],
  ])("%s", (_, text) => {
    expect(fastLoad(text)?.value).toEqual(carefulParse(text).value);
  });

  it("leaves anchors, duplicate keys and broken YAML to the positioned parser", () => {
    expect(fastLoad("a: &x 1\nb: *x")).toBeUndefined();
    expect(fastLoad("a: 1\na: 2")).toBeUndefined();
    expect(fastLoad("a: [1, 2")).toBeUndefined();
  });
});
