/**
 * The CloudPort of one OpenStack project: its Keystone session and its change watcher. Which
 * cloud a Kiln project acts in is decided by `CloudDirectory`: its own credentials when it has
 * some, else the cloud of the OS_* variables or OS_CLOUD's clouds.yaml entry.
 */
import { createHash } from "node:crypto";
import type { CloudAnswer, CloudCall, CloudPort, CloudWatch } from "../engine/ports";
import { ChangeWatcher, type WatcherOptions } from "./changeWatcher";
import { cloudFromEnvironment, type CloudCredentials } from "./credentials";
import { KeystoneSession, type SessionOptions } from "./keystoneSession";

export class OpenStackCloud implements CloudPort {
  readonly session: KeystoneSession;
  readonly watcher: ChangeWatcher;

  constructor(credentials: CloudCredentials, wake: (resourceId: string) => void, options: SessionOptions & WatcherOptions = {}) {
    this.session = new KeystoneSession(credentials, options);
    this.watcher = new ChangeWatcher(this.session, wake, options);
  }

  get label() {
    return this.session.label;
  }

  /** HTTP requests made to the cloud so far. */
  get calls() {
    return this.session.calls;
  }

  call(service: string, method: string, path: string, options?: CloudCall): Promise<CloudAnswer> {
    return this.session.call(service, method, path, options);
  }

  endpoint(service: string): Promise<string> {
    return this.session.endpoint(service);
  }

  watch(target: CloudWatch): void {
    this.watcher.watch(target);
  }

  async scope(): Promise<string> {
    const { authUrl, region } = this.session.credentials;
    return `project ${await this.session.projectId()} at ${authUrl}${region ? ` (${region})` : ""}`;
  }

  close() {
    this.watcher.stop();
  }
}

/** The setting that lets a project's own cloud reach internal addresses. */
export const OWN_CLOUD_ALLOW_INTERNAL = "KILN_AUTH_URL_ALLOW_INTERNAL";

/** A project's own credentials, when it has some (clouds/projectClouds.ts). */
export type OwnCredentials = (projectId: string) => Promise<CloudCredentials | undefined>;

/**
 * The clouds of this process, one per distinct set of credentials, so each has one session and
 * one watcher: a project with its own credentials acts in its cloud, any other in the
 * environment's. Looked up at each step of a resource, so a change takes effect for the next
 * step of every resource, in every process.
 */
/** The credentials of a root stack's Keystone trust, when it acts through one (clouds/stackTrusts.ts). */
export type TrustCredentials = (rootStackId: string) => Promise<CloudCredentials | undefined>;

export class CloudDirectory {
  private readonly defaultCloud: OpenStackCloud | undefined;
  /** By trust id: the cloud of each stack that acts through its creator's trust. */
  private readonly trusted = new Map<string, OpenStackCloud>();
  private readonly shared = new Map<string, { cloud: OpenStackCloud; projects: Set<string> }>();
  /** Which of `shared` each project last acted in. */
  private readonly usedBy = new Map<string, string>();

  constructor(
    private readonly wake: (resourceId: string) => void,
    private readonly options: SessionOptions &
      WatcherOptions & {
        credentials?: CloudCredentials | null;
        own?: OwnCredentials;
        trust?: TrustCredentials;
        /** Projects' own clouds may reach internal addresses (KILN_AUTH_URL_ALLOW_INTERNAL). */
        ownAllowInternal?: boolean;
      } = {},
  ) {
    const credentials = options.credentials === undefined ? cloudFromEnvironment() : options.credentials;
    this.defaultCloud = credentials ? new OpenStackCloud(credentials, wake, options) : undefined;
  }

  /** Where projects without credentials of their own act (not secret: project, auth URL, region). */
  get serverCloudLabel(): string | undefined {
    return this.defaultCloud?.label;
  }

  /**
   * The cloud a stack acts in: its project's own credentials when it has some, else the trust
   * its creator gave it (Keystone mode), else the server's cloud.
   */
  async forStack(stack: { projectId: string; rootStackId: string }): Promise<OpenStackCloud | undefined> {
    const own = await this.forProject(stack.projectId);
    if (own !== this.defaultCloud || !this.options.trust) return own;
    const credentials = await this.options.trust(stack.rootStackId);
    const trustId = credentials?.auth.kind === "password" ? credentials.auth.trustId : undefined;
    if (!credentials || !trustId) return own;
    let cloud = this.trusted.get(trustId);
    if (!cloud) {
      cloud = new OpenStackCloud(credentials, this.wake, this.options);
      this.trusted.set(trustId, cloud);
    }
    return cloud;
  }

  /** The trust was deleted with its stack: its session and watcher end. */
  forgetTrust(trustId: string) {
    this.trusted.get(trustId)?.close();
    this.trusted.delete(trustId);
  }

  /** The cloud a Kiln project's stacks act in, or undefined when none is configured. */
  async forProject(projectId: string): Promise<OpenStackCloud | undefined> {
    const own = await this.options.own?.(projectId);
    const key = own && createHash("sha256").update(JSON.stringify(own)).digest("hex");
    if (this.usedBy.get(projectId) !== key) this.leave(projectId);
    if (!own || !key) return this.defaultCloud;
    let entry = this.shared.get(key);
    if (!entry) {
      // The project chose this Keystone, and so its catalog: no request of it may reach Kiln's own network unless allowed.
      const refuseInternal = this.options.ownAllowInternal ? undefined : OWN_CLOUD_ALLOW_INTERNAL;
      entry = { cloud: new OpenStackCloud(own, this.wake, { ...this.options, refuseInternal }), projects: new Set() };
      this.shared.set(key, entry);
    }
    entry.projects.add(projectId);
    this.usedBy.set(projectId, key);
    return entry.cloud;
  }

  /**
   * The project no longer acts in the cloud it used: when no other project does, its session
   * ends and the resources its watcher waited for are woken at once, to look again with the
   * project's current credentials.
   */
  private leave(projectId: string) {
    const key = this.usedBy.get(projectId);
    if (key === undefined) return;
    this.usedBy.delete(projectId);
    const entry = this.shared.get(key);
    entry?.projects.delete(projectId);
    if (entry && entry.projects.size === 0) {
      this.shared.delete(key);
      entry.cloud.watcher.release();
    }
  }

  close() {
    this.defaultCloud?.close();
    for (const { cloud } of this.shared.values()) cloud.close();
    for (const cloud of this.trusted.values()) cloud.close();
    this.trusted.clear();
    this.shared.clear();
  }
}
