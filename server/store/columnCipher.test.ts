import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aesGcmCipher, keyId, SecretKeyMismatch } from "./columnCipher";

const key = randomBytes(32);
const cipher = aesGcmCipher(key);

describe("sealed columns", () => {
  it("a sealed value opens to what was sealed, and never holds it in clear", () => {
    const sealed = cipher.seal('{"password":"hunter2-hunter2"}');
    expect(sealed).toMatch(new RegExp(`^kiln-sealed:v1:${keyId(key)}:`));
    expect(sealed).not.toContain("hunter2");
    expect(cipher.open(sealed)).toBe('{"password":"hunter2-hunter2"}');
  });

  it("the same value sealed twice differs (a fresh nonce each time)", () => {
    expect(cipher.seal("same")).not.toBe(cipher.seal("same"));
  });

  it("an empty value is stored as it is: sealed, its length would show as much", () => {
    for (const empty of ["{}", "[]", "null", '""']) expect(cipher.seal(empty)).toBe(empty);
    expect(cipher.seal("{ }")).toMatch(/^kiln-sealed:v1:/);
  });

  it("a row written before encryption reads as it is", () => {
    expect(cipher.open('{"a":1}')).toBe('{"a":1}');
  });

  it("another key is refused, naming both keys, never answered with garbage", () => {
    const other = aesGcmCipher(randomBytes(32));
    expect(() => other.open(cipher.seal("x"))).toThrow(SecretKeyMismatch);
    expect(() => other.open(cipher.seal("x"))).toThrow(`differs from the one that sealed it (key id ${keyId(key)})`);
  });

  it("an altered value is refused (the cipher is authenticated)", () => {
    const sealed = cipher.seal("a value of some length");
    const bytes = Buffer.from(sealed.split(":").at(-1)!, "base64");
    bytes[bytes.length - 1]! ^= 1;
    const altered = `${sealed.slice(0, sealed.lastIndexOf(":") + 1)}${bytes.toString("base64")}`;
    expect(() => cipher.open(altered)).toThrow("was altered or cut short in the database");
  });

  it("a format from a newer Kiln is refused, not read", () => {
    expect(() => cipher.open(`kiln-sealed:v9:${keyId(key)}:AAAA`)).toThrow("written by a newer Kiln");
  });
});
