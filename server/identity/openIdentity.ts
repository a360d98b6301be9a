/**
 * The one place that decides who Kiln asks about callers: Keystone when KILN_KEYSTONE_URL is
 * set (no users of its own, so no first-start admin), else the built-in identity, whose first
 * start creates the admin.
 */
import type { Logger } from "../log";
import type { Database } from "../store/database";
import { BuiltInIdentity } from "./builtInIdentity";
import { ensureAdmin } from "./firstStart";
import type { Identity } from "./identity";
import { KeystoneIdentity } from "./keystone/keystoneIdentity";
import type { KeystoneConfig } from "./keystone/keystoneClient";

export interface IdentityConfig {
  keystone: KeystoneConfig | undefined;
  sessionMs: number;
  adminPassword: string | undefined;
  dataDir: string;
}

export async function openIdentity(db: Database, config: IdentityConfig, log: Logger): Promise<Identity> {
  if (config.keystone) {
    const { url, serviceUser, tokenCacheMs } = config.keystone;
    log.info(
      { keystone: url, validatesAs: serviceUser ? `${serviceUser.username} (project ${serviceUser.projectName})` : "the token itself", tokenCacheSecs: tokenCacheMs / 1000 },
      "identity: Keystone (users, projects and roles are managed there; sign in with a Keystone user)",
    );
    return new KeystoneIdentity(config.keystone);
  }
  const identity = new BuiltInIdentity(db, config.sessionMs);
  await ensureAdmin(identity.store, config, log);
  return identity;
}
