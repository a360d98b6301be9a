/**
 * The key that encrypts secret columns (columnCipher.ts): KILN_SECRET_KEY when set, else a key
 * generated on first start into the data directory, readable by its owner only, the way the
 * initial admin password is (identity/firstStart.ts). Losing it loses the encrypted values:
 * back it up with the database.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { KEY_BYTES, keyId, type ColumnCipher } from "./columnCipher";
import type { Database } from "./database";
import { query, sql } from "./sql";

export const KEY_FILE = "secret.key";

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$|^[A-Za-z0-9_-]{43}$/;

/** 64 hex digits or base64 (standard or URL-safe) of 32 bytes; anything else is undefined. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (HEX.test(t)) return Buffer.from(t, "hex");
  if (BASE64.test(t)) {
    const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return key.length === KEY_BYTES ? key : undefined;
  }
  return undefined;
}

export const SECRET_KEY_FORMAT = `must be ${KEY_BYTES} random bytes (256 bits) as 64 hex digits or base64, e.g. from \`openssl rand -base64 32\``;

/** The configured key, or the data directory's key file (created, exclusively, when there is none). */
export function loadSecretKey(opts: { secretKey: Buffer | undefined; dataDir: string }, log: Logger): Buffer {
  if (opts.secretKey) {
    log.info({ secretKey: keyId(opts.secretKey) }, "secret columns are encrypted with KILN_SECRET_KEY");
    return opts.secretKey;
  }
  const file = path.join(opts.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    // Written whole under a name of its own, then linked into place: processes starting together
    // (web and workers) never read a half-written key, and exactly one key wins.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(draft, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(draft, file);
      log.info({ keyFile: file }, "generated the key that encrypts secret values; back it up with the database (without it they cannot be read)");
    } catch (e) {
      // Another process of this Kiln made it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const key = parseSecretKey(fs.readFileSync(file, "utf8"));
  if (!key) throw new Error(`${file} does not hold a secret key: it ${SECRET_KEY_FORMAT}`);
  log.info({ keyFile: file, secretKey: keyId(key) }, "secret columns are encrypted with the data directory's key");
  return key;
}

/**
 * Opens one stored sealed value of each table, so a server started with the wrong key says so
 * at startup (SecretKeyMismatch) rather than at the first read of a stack.
 */
export async function checkKeyOpensStoredData(db: Database, cipher: ColumnCipher): Promise<void> {
  const sealed = `kiln-sealed:%`;
  const samples = await Promise.all([
    query<{ v: string }>(db, sql`SELECT "parameters" AS "v" FROM "Stack" WHERE "parameters" LIKE ${sealed} LIMIT 1`),
    query<{ v: string }>(db, sql`SELECT "environment" AS "v" FROM "RawTemplate" WHERE "environment" LIKE ${sealed} LIMIT 1`),
    query<{ v: string }>(db, sql`SELECT "data" AS "v" FROM "Resource" WHERE "data" LIKE ${sealed} LIMIT 1`),
    query<{ v: string }>(db, sql`SELECT "content" AS "v" FROM "SharedDocument" LIMIT 1`),
  ]);
  for (const [row] of samples) if (row) cipher.open(row.v);
}
