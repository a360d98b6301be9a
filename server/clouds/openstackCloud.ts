/**
 * The CloudPort of one OpenStack project: its Keystone session and its change watcher. Which
 * cloud a Kiln project acts in is decided by `CloudDirectory`; for the embedded default every
 * project acts in the cloud of the OS_* variables or OS_CLOUD's clouds.yaml entry.
 */
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

  close() {
    this.watcher.stop();
  }
}

/** The clouds of this process, one per set of credentials, so each has one session and one watcher. */
export class CloudDirectory {
  private readonly defaultCloud: OpenStackCloud | undefined;

  constructor(
    wake: (resourceId: string) => void,
    options: SessionOptions & WatcherOptions & { credentials?: CloudCredentials } = {},
  ) {
    const credentials = options.credentials ?? cloudFromEnvironment();
    this.defaultCloud = credentials && new OpenStackCloud(credentials, wake, options);
  }

  /** The cloud a Kiln project's stacks act in, or undefined when none is configured. */
  forProject(_projectId: string): OpenStackCloud | undefined {
    return this.defaultCloud;
  }

  close() {
    this.defaultCloud?.close();
  }
}
