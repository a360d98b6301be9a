import { describe, expect, it } from "vitest";
import { hiddenValues, maskHidden, maskText, secretSet } from "./hiddenValues";
import type { ParameterSchema } from "./parameters";

const schema = (name: string, hidden: boolean, type: ParameterSchema["type"] = "string"): ParameterSchema => ({ name, type, hidden, immutable: false, tags: [], constraints: [] });

describe("hidden values", () => {
  it("are the values of hidden parameters only, with the texts inside lists and json", () => {
    const found = hiddenValues([schema("pw", true), schema("name", false), schema("keys", true, "comma_delimited_list"), schema("conf", true, "json")], {
      pw: "s3cret-pass",
      name: "public",
      keys: ["k-one", "k-two"],
      conf: { token: "tok-123" },
    });
    expect(found).toEqual(expect.arrayContaining(["s3cret-pass", "k-one", "k-two", "k-one,k-two", "tok-123", '{"token": "tok-123"}']));
    expect(found).not.toContain("public");
  });

  it("leave a hidden boolean to the parameter list: \"true\" is not masked in every text", () => {
    expect(hiddenValues([schema("flag", true, "boolean")], { flag: true })).toEqual([]);
  });

  it("are masked inside any string, key or nested value, and a number equal to one", () => {
    const secrets = secretSet(["s3cret-pass", "4242"]);
    expect(maskHidden({ a: ["pw=s3cret-pass;"], s3cret_pass: 4242, n: 7, "s3cret-pass": true }, secrets)).toEqual({ a: ["pw=******;"], s3cret_pass: "******", n: 7, "******": true });
  });

  it("shorter than four characters, only a whole value equal to one, or one quoted in a message, is masked", () => {
    expect(maskText("abc", ["ab"])).toBe("abc");
    expect(maskText("ab", ["ab"])).toBe("******");
    expect(maskText(`Value 'ab' is not a number; "ab" neither`, ["ab"])).toBe(`Value '******' is not a number; "******" neither`);
  });

  it("a secret containing another is masked whole", () => {
    expect(maskText("x long-secret-value y", secretSet(["secret", "long-secret-value"]))).toBe("x ****** y");
  });
});
