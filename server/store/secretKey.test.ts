import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { KEY_FILE, loadSecretKey, parseSecretKey } from "./secretKey";

const log = pino({ level: "silent" });
const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, []);

describe("the secret key", () => {
  it("is read as 64 hex digits or base64 of 32 bytes", () => {
    expect(parseSecretKey("ab".repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseSecretKey(Buffer.alloc(32, 1).toString("base64"))).toEqual(Buffer.alloc(32, 1));
    expect(parseSecretKey(Buffer.alloc(32, 0xfb).toString("base64url"))).toEqual(Buffer.alloc(32, 0xfb));
    for (const bad of ["", "short", "ab".repeat(31), Buffer.alloc(16).toString("base64"), Buffer.alloc(33).toString("base64")]) expect(parseSecretKey(bad)).toBeUndefined();
  });

  it("a malformed KILN_SECRET_KEY stops the start with a clear message that does not repeat it", () => {
    expect(() => load({ KILN_SECRET_KEY: "not-a-key-at-all" })).toThrow(
      "KILN_SECRET_KEY: must be 32 random bytes (256 bits) as 64 hex digits or base64, e.g. from `openssl rand -base64 32`",
    );
    expect(() => load({ KILN_SECRET_KEY: "not-a-key-at-all" })).not.toThrow(/not-a-key-at-all/);
    expect(load({ KILN_SECRET_KEY: "" }).secretKey).toBeUndefined();
  });

  it("without one, a key file is made once, readable by its owner only, and kept", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-key-"));
    try {
      const first = loadSecretKey({ secretKey: undefined, dataDir }, log);
      expect(fs.statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ secretKey: undefined, dataDir }, log)).toEqual(first);
      expect(loadSecretKey({ secretKey: Buffer.alloc(32, 2), dataDir }, log)).toEqual(Buffer.alloc(32, 2));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("a key file that holds no key is a clear error", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-key-"));
    try {
      fs.writeFileSync(path.join(dataDir, KEY_FILE), "garbage\n");
      expect(() => loadSecretKey({ secretKey: undefined, dataDir }, log)).toThrow(`${path.join(dataDir, KEY_FILE)} does not hold a secret key`);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
