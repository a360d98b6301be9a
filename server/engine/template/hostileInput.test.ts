/**
 * Input built to hurt: alias bombs, merge keys on non-maps, documents nested thousands deep.
 * Each is a positioned, readable problem, found quickly, never an exception.
 */
import { describe, expect, it } from "vitest";
import { loadStack, parseEnvironment, parseTemplate } from "./index";

const HOT = "heat_template_version: 2018-08-31\n";
const nested = (n: number) => "[".repeat(n) + "]".repeat(n);

const problems = (source: string) => parseTemplate(source).diagnostics.map((d) => ({ line: d.line, message: d.message }));

describe("YAML that multiplies itself", () => {
  it("an alias bomb (billion laughs) is refused by what it would expand to", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) levels.push(`${"abcdefgh"[i]}: &${"abcdefgh"[i]} [${Array(9).fill(`*${"abcdefgh"[i - 1]}`).join(", ")}]`);
    const started = Date.now();
    const [p] = problems(`${HOT}${levels.join("\n")}\nresources: {}\n`);
    expect(p.message).toMatch(/aliases expand to more than 10000 nodes/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a merge key on a list or a scalar names the line of the merge key", () => {
    expect(problems(`${HOT}x: &x [1, 2]\nresources:\n  r:\n    <<: *x\n    type: OS::Heat::None\n`)).toEqual([
      { line: 5, message: `a YAML merge key "<<" must be given a map or a list of maps` },
    ]);
    expect(problems(`${HOT}resources:\n  r:\n    <<: 5\n    type: OS::Heat::None\n`)).toEqual([
      { line: 4, message: `a YAML merge key "<<" must be given a map or a list of maps` },
    ]);
  });

  it("a merge key on a map merges it, with or without anchors", () => {
    const t = parseTemplate(`${HOT}resources:\n  r:\n    <<: {type: OS::Heat::None}\n`);
    expect(t.diagnostics).toEqual([]);
    expect(t.template?.resources.map((r) => r.type)).toEqual(["OS::Heat::None"]);
  });
});

describe("nesting depth", () => {
  const deepMessage = "nested more than 100 levels deep; at most 100 levels of lists and maps are allowed";

  it("a 10,000-deep JSON template is refused at the bracket that goes too deep", () => {
    const source = `{"heat_template_version": "2018-08-31", "outputs": {"o": {"value": ${nested(10_000)}}}}`;
    expect(problems(source)).toEqual([{ line: 1, message: deepMessage }]);
  });

  it("10,000-deep block YAML (compact sequences) is refused, not a stack overflow", () => {
    expect(problems(`${HOT}outputs:\n  o:\n    value:\n      ${"- ".repeat(10_000)}x\n`)).toEqual([{ line: 5, message: deepMessage }]);
  });

  it("compact mapping keys and very deep indentation are refused the same way", () => {
    expect(problems(`${HOT}outputs:\n  o:\n    value:\n      ${"? - ".repeat(10_000)}x\n`)).toEqual([{ line: 5, message: deepMessage }]);
    const indented = Array.from({ length: 900 }, (_, i) => `${" ".repeat(i + 6)}k:`).join("\n");
    expect(problems(`${HOT}outputs:\n  o:\n    value:\n${indented} x\n`).map((p) => p.message)).toEqual([deepMessage]);
  });

  it("block YAML just over the limit is refused at its path", () => {
    const lines = Array.from({ length: 101 }, (_, i) => `${" ".repeat(i + 6)}k${i}:`);
    const [d] = parseTemplate(`${HOT}outputs:\n  o:\n    value:\n${lines.join("\n")} x\n`).diagnostics;
    expect(d.message).toBe(deepMessage);
    expect(d.path).toMatch(/^outputs\.o\.value\.k0\.k1\..*…$/);
  });

  it("100 levels, counting the document itself, are fine", () => {
    expect(problems(`${HOT}outputs:\n  o:\n    value: ${nested(97)}\n`)).toEqual([]);
  });

  it("an environment nested too deeply is refused the same way", () => {
    const { diagnostics } = parseEnvironment([{ name: "env.yaml", content: `parameter_defaults:\n  p: ${nested(5000)}\n` }]);
    expect(diagnostics.map((d) => d.message)).toEqual([deepMessage]);
  });

  it("a JSON parameter 10,000 deep is refused, given as text or as a value", () => {
    const template = `${HOT}parameters:\n  p: {type: json}\n`;
    for (const given of [nested(10_000), JSON.parse(nested(5_000)) as unknown]) {
      const { diagnostics } = loadStack({ template, parameters: { p: given } });
      expect(diagnostics.map((d) => d.message)).toEqual([`Parameter 'p' is invalid: The value is ${deepMessage}`]);
    }
  });
});

describe("size bombs", () => {
  const errorsOf = (template: string, parameters: Record<string, unknown> = {}) => {
    const started = Date.now();
    const { diagnostics } = loadStack({ template: `${HOT}${template}`, parameters });
    expect(Date.now() - started).toBeLessThan(3000);
    return diagnostics.filter((d) => d.severity === "error").map((d) => `${d.path}: ${d.message}`);
  };

  it("a str_replace that would produce 250 MB is refused before it is built, naming the output", () => {
    const before = process.memoryUsage().rss;
    const errors = errorsOf(`outputs:\n  big:\n    value:\n      str_replace:\n        template: ${"x".repeat(1000)}\n        params: {x: {get_param: y}}\nparameters:\n  y: {type: string}\n`, { y: "y".repeat(256 * 1024) });
    expect(errors).toEqual(["outputs.big.value.str_replace: str_replace: the result is 250 MB; at most 1 MB is allowed"]);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("repeat over three lists of 1,000 (a billion copies) is refused before copying", () => {
    const errors = errorsOf(
      `parameters:\n  l: {type: comma_delimited_list}\noutputs:\n  o:\n    value:\n      repeat:\n        template: <%a%><%b%><%c%>\n        for_each: {<%a%>: {get_param: l}, <%b%>: {get_param: l}, <%c%>: {get_param: l}}\n`,
      { l: Array.from({ length: 1000 }, (_, i) => String(i)).join(",") },
    );
    expect(errors).toEqual(["outputs.o.value.repeat: repeat: the result is 15.8 GB; at most 1 MB is allowed"]);
  });

  it("a repeat whose placeholder appears many times in a long template is refused before substituting", () => {
    const errors = errorsOf(`outputs:\n  o:\n    value:\n      repeat:\n        template: ${"x".repeat(100_000)}\n        for_each: {x: [{get_param: y}]}\nparameters:\n  y: {type: string}\n`, { y: "y".repeat(100_000) });
    expect(errors).toEqual([expect.stringMatching(/^outputs\.o\.value\.repeat: repeat: the result is [\d.]+ [GM]B; at most 1 MB is allowed$/)]);
  });

  it("list_join and list_concat of one large list many times are refused", () => {
    const big = Array.from({ length: 40_000 }, (_, i) => `item-${i}`);
    const lists = Array(5).fill("{get_param: l}").join(", ");
    const errors = errorsOf(`parameters:\n  l: {type: json}\noutputs:\n  j:\n    value: {list_join: [",", ${lists}]}\n  c:\n    value: {list_concat: [${lists}]}\n`, { l: big });
    expect(errors).toEqual([
      "outputs.j.value.list_join: list_join: the result is 2 MB; at most 1 MB is allowed",
      "outputs.c.value.list_concat: list_concat: the result is over 1 MB; at most 1 MB is allowed",
    ]);
  });

  it("list_concat_unique and filter of 20,000 items take linear time", () => {
    const l = Array.from({ length: 20_000 }, (_, i) => i);
    expect(errorsOf(`parameters:\n  l: {type: json}\noutputs:\n  u:\n    value: {list_concat_unique: [{get_param: l}, {get_param: l}]}\n  f:\n    value: {filter: [{get_param: l}, {get_param: l}]}\n`, { l })).toEqual([]);
  });

  it("an environment of 40,000 entries is read in linear time (it took 28 s), and a repeated key is still reported at its line", () => {
    const entries = Array.from({ length: 40_000 }, (_, i) => `  p${i}: 1`).join("\n");
    expect(parseEnvironment([`parameter_defaults:\n${entries}\n`]).diagnostics).toEqual([]);
    const repeated = parseEnvironment([`parameter_defaults:\n${entries}\n  p7: 2\n`]).diagnostics;
    expect(repeated).toMatchObject([{ severity: "error", line: 40_002, column: 3, message: "Map keys must be unique" }]);
  });

  it("a parameter value over the limit is refused by name", () => {
    expect(errorsOf(`parameters:\n  p: {type: string}\n`, { p: "p".repeat(2 * 1024 * 1024) })).toEqual(["parameters.p: Parameter 'p' is invalid: The value is 2 MB; at most 1 MB is allowed"]);
  });
});
