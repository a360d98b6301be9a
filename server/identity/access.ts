/**
 * What every door of the server checks before anything else: that the request names this
 * Kiln (Host), that a state-changing request comes from one of its own pages (Origin) in a
 * form no other site can send (JSON), and who is calling.
 */
import type { Database } from "../store/database";
import type http from "node:http";
import type { AllowedHosts } from "./allowedHosts";
import { credentialsOf } from "./credentials";
import type { Caller, Identity } from "./identity";
import { ProjectRateLimit } from "./projectRateLimit";
import { SignInThrottle } from "./signInThrottle";

export interface Refusal {
  status: number;
  message: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
/** Where requests carry JSON only: a form, multipart or text/plain body is what a cross-site page can send without asking. */
const JSON_ONLY = /^\/api\/(trpc|session)(\/|$)/;

export class Access {
  /** Failed sign-ins, per address and per user name (see SignInThrottle). */
  readonly signIns: SignInThrottle;
  /** Changes per project per minute (see ProjectRateLimit). */
  readonly changes: ProjectRateLimit;

  constructor(
    db: Database,
    readonly identity: Identity,
    private readonly hosts: AllowedHosts,
    /** Session cookies carry Secure when Kiln is reached over https. */
    readonly secureCookies: boolean,
    /** KILN_CHANGES_PER_MINUTE; negative: no limit. */
    changesPerMinute = -1,
  ) {
    this.signIns = new SignInThrottle(db, "sign-in");
    this.changes = new ProjectRateLimit(db, "project-changes", changesPerMinute);
  }

  /**
   * Why this request is refused before it is read, or undefined. `originAlways`: check the
   * Origin of reads too (a WebSocket handshake is a GET that opens a live channel).
   */
  refusal(req: http.IncomingMessage, opts: { originAlways?: boolean } = {}): Refusal | undefined {
    const host = req.headers.host;
    if (!this.hosts.hostAllowed(host)) {
      return { status: 403, message: `Host "${host ?? ""}" is not a name of this Kiln; add it to KILN_ALLOWED_HOSTS (or set KILN_PUBLIC_URL) to reach Kiln by that name` };
    }
    const origin = req.headers.origin;
    const changes = !SAFE_METHODS.has(req.method ?? "GET");
    if (origin !== undefined && (changes || opts.originAlways) && !this.hosts.originAllowed(origin, host)) {
      return { status: 403, message: `Cross-site request refused: origin "${origin}" is not this Kiln` };
    }
    const path = (req.url ?? "/").split("?")[0]!;
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (WITH_BODY.has(req.method ?? "GET") && JSON_ONLY.test(path) && type !== "application/json") {
      return { status: 415, message: "Send JSON (Content-Type: application/json); form, multipart and plain-text bodies are refused" };
    }
    return undefined;
  }

  /** The signed-in caller of a request (session cookie or bearer token), or undefined. */
  callerOf(req: http.IncomingMessage, given?: { token?: unknown; project?: unknown }): Promise<Caller | undefined> {
    const { token, project } = credentialsOf(req.headers, given);
    return this.identity.callerFor(token, project);
  }
}
