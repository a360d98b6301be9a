/**
 * A Kiln project's own OpenStack credentials (issue 14): a clouds.yaml entry, checked against
 * Keystone before it is kept, stored sealed (store/columnCipher.ts), and shown back only
 * without its secret. Who may see or change them is the API's to decide (api/routers/cloud.ts).
 */
import { InvalidRequest } from "../engine/errors";
import { CloudFailure } from "../engine/ports";
import type { ColumnCipher } from "../store/columnCipher";
import type { Database } from "../store/database";
import { execute, query, sql } from "../store/sql";
import { CloudConfigInvalid, credentialsFrom, type CloudCredentials } from "./credentials";
import { KeystoneSession, NotAllowed } from "./keystoneSession";
import { OWN_CLOUD_ALLOW_INTERNAL } from "./openstackCloud";

/** What anyone who may read the project sees of its credentials: everything but the secret. */
export interface CloudView {
  authUrl: string;
  authType: "password" | "v3applicationcredential";
  user?: string;
  userDomain?: string;
  project?: string;
  projectDomain?: string;
  applicationCredential?: string;
  region?: string;
  interface: CloudCredentials["interface"];
  /** "password: set" or "application credential secret: set": the secret itself never leaves the server. */
  secret: string;
  updatedAt: string;
}

export function cloudView(c: CloudCredentials, updatedAt: Date): CloudView {
  const a = c.auth;
  const common = { authUrl: c.authUrl, region: c.region, interface: c.interface, user: a.username ?? a.userId, userDomain: a.userDomainName ?? a.userDomainId, updatedAt: updatedAt.toISOString() };
  if (a.kind === "applicationCredential") {
    return { ...common, authType: "v3applicationcredential", applicationCredential: a.id ?? a.name, secret: "application credential secret: set" };
  }
  return { ...common, authType: "password", project: a.projectName ?? a.projectId, projectDomain: a.projectDomainName ?? a.projectDomainId, secret: "password: set" };
}

/**
 * Credentials from a clouds.yaml entry as a user gives it (`auth`, `region_name`, `interface`,
 * `auth_type`); endpoint overrides are not taken, so a project cannot send Kiln's requests
 * anywhere but where its Keystone's catalog says.
 */
export function credentialsFromEntry(entry: { auth: Record<string, unknown>; region_name?: string; interface?: string; auth_type?: string }): CloudCredentials {
  const { endpointOverrides: _ignored, ...credentials } = asInvalidRequest(() =>
    credentialsFrom(entry.auth, { region_name: entry.region_name, interface: entry.interface, auth_type: entry.auth_type }, "the cloud entry"),
  );
  if (!isHttpUrl(credentials.authUrl)) throw new InvalidRequest(`auth_url "${credentials.authUrl}" is not an http or https URL`);
  return credentials;
}

/** Whether the text is an http(s) URL with a host, as fetch will take it. */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
  } catch {
    return false;
  }
}

function asInvalidRequest<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CloudConfigInvalid) throw new InvalidRequest(e.message);
    throw e;
  }
}

/**
 * Asks Keystone for a project-scoped token with these credentials; refuses with Keystone's own
 * words. An auth_url at an internal address is refused before anything is sent, unless the
 * operator allows it: a member could otherwise make Kiln probe its own network.
 */
export async function verifyCredentials(credentials: CloudCredentials, opts: { allowInternal: boolean }): Promise<{ projectId: string }> {
  try {
    return { projectId: await new KeystoneSession(credentials, { retries: 0, timeoutMs: 10_000, refuseInternal: opts.allowInternal ? undefined : OWN_CLOUD_ALLOW_INTERNAL }).projectId() };
  } catch (e) {
    if (e instanceof NotAllowed) throw new InvalidRequest(e.message);
    if (e instanceof CloudFailure) throw new InvalidRequest(`${e.message} (HTTP ${e.status})`);
    throw e;
  }
}

interface Row {
  credentials: string;
  updatedAt: Date | string;
}

export class ProjectCloudStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
  ) {}

  async get(projectId: string): Promise<{ credentials: CloudCredentials; updatedAt: Date } | undefined> {
    const [row] = await query<Row>(this.db, sql`SELECT "credentials", "updatedAt" FROM "ProjectCloud" WHERE "projectId" = ${projectId}`);
    return row && { credentials: JSON.parse(this.cipher.open(row.credentials)) as CloudCredentials, updatedAt: new Date(row.updatedAt) };
  }

  async put(projectId: string, credentials: CloudCredentials): Promise<Date> {
    const now = new Date();
    const sealed = this.cipher.seal(JSON.stringify(credentials));
    await execute(
      this.db,
      sql`INSERT INTO "ProjectCloud" ("projectId", "credentials", "updatedAt") VALUES (${projectId}, ${sealed}, ${now})
          ON CONFLICT ("projectId") DO UPDATE SET "credentials" = ${sealed}, "updatedAt" = ${now}`,
    );
    return now;
  }

  /** Answers whether there was anything to remove. */
  async remove(projectId: string): Promise<boolean> {
    return (await execute(this.db, sql`DELETE FROM "ProjectCloud" WHERE "projectId" = ${projectId}`)) > 0;
  }
}
