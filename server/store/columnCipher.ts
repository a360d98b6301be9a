/**
 * Encryption at rest of the columns that can carry a user's secret values: a stack's
 * parameters, its stored environment documents, a resource's properties, attributes and data,
 * and what a converged resource hands its successors. Heat's `encrypt_parameters_and_properties`
 * is the anchor; Kiln always encrypts, and encrypts these columns whole, because a value
 * derived from a hidden one (a str_replace, a join) cannot be told apart from others.
 *
 * AES-256-GCM (authenticated: a wrong key or a changed byte is an error, never garbage). A
 * sealed value reads `kiln-sealed:v1:<key id>:<base64 of iv | tag | ciphertext>`; the key id
 * (a digest of the key, not the key) lets a future rotation tell keys apart. Text without the
 * prefix (a row written before encryption existed, or an empty value: EMPTY_VALUES) reads as it
 * is; JSON never starts so.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomFillSync } from "node:crypto";
import { StoredDataUnreadable } from "../engine/errors";

export interface ColumnCipher {
  seal(text: string): string;
  open(text: string): string;
  /**
   * A digest of the text keyed by the column key (an HMAC): equal texts have equal ones, but
   * without the key nobody can tell what text one is of (sharedDocuments.ts names rows so).
   */
  fingerprint(text: string): string;
}

const PREFIX = "kiln-sealed:";
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A sealed column that this server's key cannot open: the key is not the one it was written with, or the row was altered. */
export class SecretKeyMismatch extends StoredDataUnreadable {}

/** The short, public name of a key: which key wrote a value, without saying anything about the key. */
export const keyId = (key: Buffer) => createHash("sha256").update("kiln column key id\0").update(key).digest("hex").slice(0, 8);

export const isSealed = (text: string) => text.startsWith(PREFIX);

/**
 * JSON texts that hold nothing: stored as they are, since a sealed one would show as much (a
 * sealed value's length is the clear text's) and sealing costs a cipher per column written.
 */
export const EMPTY_VALUES: readonly string[] = ["{}", "[]", "null", '""'];
const empty: ReadonlySet<string> = new Set(EMPTY_VALUES);

/** Nonces drawn from the system's generator this many at a time: one call per batch rather than per value. */
const NONCES_PER_DRAW = 256;

/**
 * Sealed texts this process wrote or opened, with what they hold. A sealed text never changes
 * (a new value is a new text, with a fresh nonce), so the engine's re-reads of a row it just
 * wrote or read (a stack's parameters twice per job) skip the decryption. Entries are forgotten
 * oldest first past a bound in characters, and large values are never kept.
 */
class OpenedTexts {
  private readonly opened = new Map<string, string>();
  private chars = 0;
  constructor(
    private readonly maxChars = 8 * 2 ** 20,
    private readonly maxValueChars = 64 * 2 ** 10,
  ) {}

  get(sealed: string): string | undefined {
    return this.opened.get(sealed);
  }

  keep(sealed: string, text: string) {
    if (text.length > this.maxValueChars || this.opened.has(sealed)) return;
    this.opened.set(sealed, text);
    this.chars += sealed.length + text.length;
    for (const [oldest, value] of this.opened) {
      if (this.chars <= this.maxChars) break;
      this.opened.delete(oldest);
      this.chars -= oldest.length + value.length;
    }
  }
}

export function aesGcmCipher(key: Buffer): ColumnCipher {
  if (key.length !== KEY_BYTES) throw new Error(`A column key has ${KEY_BYTES} bytes, not ${key.length}`);
  const id = keyId(key);
  const head = `${PREFIX}${VERSION}:${id}:`;
  const nonces = Buffer.alloc(IV_BYTES * NONCES_PER_DRAW);
  let nextNonce = nonces.length;
  const opened = new OpenedTexts();
  // Its own key, derived from the column key: a digest never uses the key that encrypts.
  const digestKey = createHmac("sha256", key).update("kiln fingerprint key").digest();
  return {
    fingerprint: (text) => createHmac("sha256", digestKey).update(text).digest("base64url"),
    seal(text) {
      if (empty.has(text)) return text;
      if (nextNonce === nonces.length) {
        randomFillSync(nonces);
        nextNonce = 0;
      }
      const iv = nonces.subarray(nextNonce, (nextNonce += IV_BYTES));
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
      const sealed = head + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
      opened.keep(sealed, text);
      return sealed;
    },
    open(text) {
      if (!isSealed(text)) return text;
      const known = opened.get(text);
      if (known !== undefined) return known;
      const [version, writtenWith, payload] = text.slice(PREFIX.length).split(":");
      if (version !== VERSION || payload === undefined) {
        throw new SecretKeyMismatch(`cannot decrypt stored data: it is sealed in a format this Kiln does not know (${version}); it was written by a newer Kiln`);
      }
      if (writtenWith !== id) {
        throw new SecretKeyMismatch(
          `cannot decrypt stored data: the server's secret key (key id ${id}) differs from the one that sealed it (key id ${writtenWith}); start it with the KILN_SECRET_KEY (or the data directory's secret.key) the data was written with`,
        );
      }
      const bytes = Buffer.from(payload, "base64");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const clear = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
        opened.keep(text, clear);
        return clear;
      } catch {
        throw new SecretKeyMismatch(`cannot decrypt stored data: a value sealed with key id ${id} was altered or cut short in the database`);
      }
    },
  };
}
