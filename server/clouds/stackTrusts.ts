/**
 * Keystone mode, for a project with no credentials of its own: a stack acts with its creator's
 * identity, as Heat's does. At create, the creator's token makes a Keystone trust (trustor: the
 * creator; trustee: Kiln's service user; the creator's roles on the project; impersonation),
 * whose id is kept sealed with the root stack; its resources then act through trust-scoped
 * tokens the service user asks for, so the work outlives the creator's token. Deleting the
 * stack deletes the trust.
 */
import { randomUUID } from "node:crypto";
import { OperationRefused } from "../engine/errors";
import { CloudFailure } from "../engine/ports";
import { IdentityUnavailable } from "../identity/identity";
import type { KeystoneConfig, ServiceUser } from "../identity/keystone/keystoneClient";
import type { ColumnCipher } from "../store/columnCipher";
import type { Database } from "../store/database";
import { execute, query, sql } from "../store/sql";
import type { CloudCredentials } from "./credentials";
import { KeystoneSession } from "./keystoneSession";

/** Who creates a stack, as Keystone validated their token: what a trust is made from. */
export interface Trustor {
  token: string;
  userId: string;
  /** Their role names on the project the stack is made in. */
  roles: string[];
}

export class StackTrusts {
  private trusteeId: Promise<string> | undefined;

  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
    private readonly keystone: { url: string; timeoutMs: number; serviceUser: ServiceUser },
  ) {}

  static from(db: Database, cipher: ColumnCipher, keystone: KeystoneConfig | undefined): StackTrusts | undefined {
    return keystone?.serviceUser && new StackTrusts(db, cipher, { url: keystone.url, timeoutMs: keystone.timeoutMs, serviceUser: keystone.serviceUser });
  }

  /**
   * Runs `create` with a stack id chosen first, the trust for it already made and kept, so the
   * engine's first job finds it; a create that fails takes its trust with it.
   */
  async creating<T>(trustor: Trustor, projectId: string, create: (stackId: string) => Promise<T>): Promise<T> {
    const stackId = randomUUID();
    const trustId = await this.makeTrust(trustor, projectId);
    await execute(this.db, sql`INSERT INTO "StackTrust" ("stackId", "trust", "createdAt") VALUES (${stackId}, ${this.cipher.seal(trustId)}, ${new Date()})`);
    try {
      return await create(stackId);
    } catch (e) {
      await this.release(stackId).catch(() => undefined);
      throw e;
    }
  }

  /** The credentials a root stack's resources act with: the service user, scoped to the stack's trust. */
  async credentials(rootStackId: string): Promise<CloudCredentials | undefined> {
    const trustId = await this.trustOf(rootStackId);
    return trustId === undefined ? undefined : this.trustCredentials(trustId);
  }

  /** Deletes the stack's trust in Keystone (through the trust itself: its impersonated token is the trustor's) and forgets it; answers the trust's id. */
  async release(rootStackId: string): Promise<string | undefined> {
    const trustId = await this.trustOf(rootStackId);
    if (trustId === undefined) return undefined;
    const session = new KeystoneSession(this.trustCredentials(trustId), { timeoutMs: this.keystone.timeoutMs, retries: 1 });
    try {
      await session.call("identity", "DELETE", `/OS-TRUST/trusts/${encodeURIComponent(trustId)}`, { expect: [404] });
    } catch (e) {
      // A trust Keystone no longer honours (deleted, its trustor gone) has nothing left to delete.
      if (!(e instanceof CloudFailure && (e.status === 401 || e.status === 404))) throw e;
    }
    await execute(this.db, sql`DELETE FROM "StackTrust" WHERE "stackId" = ${rootStackId}`);
    return trustId;
  }

  private async trustOf(rootStackId: string): Promise<string | undefined> {
    const [row] = await query<{ trust: string }>(this.db, sql`SELECT "trust" FROM "StackTrust" WHERE "stackId" = ${rootStackId}`);
    return row && this.cipher.open(row.trust);
  }

  private trustCredentials(trustId: string): CloudCredentials {
    const u = this.keystone.serviceUser;
    return {
      authUrl: this.keystone.url,
      interface: "public",
      auth: { kind: "password", username: u.username, password: u.password, userDomainName: u.userDomainName, trustId },
      // Keystone's own URL, whatever its catalog says, for deleting the trust.
      endpointOverrides: { identity: this.keystone.url },
    };
  }

  private async makeTrust(trustor: Trustor, projectId: string): Promise<string> {
    const trustee = await this.serviceUserId();
    const body = { trust: { trustor_user_id: trustor.userId, trustee_user_id: trustee, project_id: projectId, impersonation: true, roles: trustor.roles.map((name) => ({ name })) } };
    const res = await this.post("/OS-TRUST/trusts", { "x-auth-token": trustor.token }, body);
    const id = (res.body as { trust?: { id?: unknown } }).trust?.id;
    if (res.status !== 201 || typeof id !== "string") {
      throw new OperationRefused(`Keystone did not make the trust this stack acts through (HTTP ${res.status}${res.message ? `: ${res.message}` : ""})`);
    }
    return id;
  }

  /** The service user's Keystone id: the trustee of every trust. */
  private serviceUserId(): Promise<string> {
    const u = this.keystone.serviceUser;
    this.trusteeId ??= this.post("/auth/tokens?nocatalog", {}, { auth: { identity: { methods: ["password"], password: { user: { name: u.username, password: u.password, domain: { name: u.userDomainName } } } } } }).then((res) => {
      const id = (res.body as { token?: { user?: { id?: unknown } } }).token?.user?.id;
      if (res.status !== 201 || typeof id !== "string") throw new IdentityUnavailable(`Keystone refuses Kiln's service user "${u.username}" (HTTP ${res.status}); stacks cannot act for their creators`);
      return id;
    });
    this.trusteeId.catch(() => (this.trusteeId = undefined));
    return this.trusteeId;
  }

  private async post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown; message?: string }> {
    let res: Response;
    try {
      res = await fetch(`${this.keystone.url}${path}`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        redirect: "error",
        signal: AbortSignal.timeout(this.keystone.timeoutMs),
      });
    } catch {
      throw new IdentityUnavailable(`Keystone (${this.keystone.url}) cannot be reached to make the trust the stack acts through; try again later (nothing was made)`);
    }
    const parsed = (await res.json().catch(() => ({}))) as { error?: { message?: unknown } };
    return { status: res.status, body: parsed, message: typeof parsed.error?.message === "string" ? parsed.error.message : undefined };
  }
}
