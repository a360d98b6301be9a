/**
 * The first start of a Kiln: creates the `admin` user in an `admin` project. Its password is
 * KILN_ADMIN_PASSWORD, or one generated here, printed once to the log and written to a file
 * only the server's user can read (as Jenkins does); there is never a default password.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "../log";
import type { IdentityStore } from "./identityStore";
import { hashPassword } from "./passwords";

export const ADMIN = "admin";
export const PASSWORD_FILE = "initial-admin-password";

export async function ensureAdmin(store: IdentityStore, opts: { adminPassword: string | undefined; dataDir: string }, log: Logger): Promise<void> {
  const file = path.join(opts.dataDir, PASSWORD_FILE);
  if (await store.hasUsers()) {
    if (fs.existsSync(file)) log.info({ passwordFile: file }, `sign in as "${ADMIN}" with the password in ${file} (delete the file once you have it)`);
    return;
  }
  const password = opts.adminPassword ?? randomBytes(18).toString("base64url");
  try {
    await store.createFirstAdmin(ADMIN, ADMIN, await hashPassword(password));
  } catch (e) {
    // Several processes starting at once against one database: one of them creates the admin.
    if (await store.hasUsers()) return;
    throw e;
  }
  if (opts.adminPassword) {
    log.info(`created the "${ADMIN}" user in the "${ADMIN}" project; sign in with the password in KILN_ADMIN_PASSWORD`);
    return;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // A new file, 0600 from its creation: never one already there, which could be another user's or a link to one.
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  log.warn({ passwordFile: file }, `created the "${ADMIN}" user in the "${ADMIN}" project with the generated password ${password}; it is also in ${file} (readable by this user only)`);
}
