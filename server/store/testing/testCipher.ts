/** The column cipher of store tests: a fixed key, so a test's other processes read what it wrote. */
import { aesGcmCipher } from "../columnCipher";

export const testCipher = aesGcmCipher(Buffer.alloc(32, 7));
