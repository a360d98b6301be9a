/**
 * A Keystone session, as keystoneauth keeps one: a project-scoped token (password or
 * application credential) renewed before it expires and once more when a service answers
 * 401; the token's service catalog gives each service's endpoint by type, interface and
 * region. Every request has a time limit; connection failures and transient 5xx are retried
 * with backoff (a POST only when the cloud cannot have acted on it), 4xx never.
 */
import { CloudFailure, type CloudAnswer, type CloudCall } from "../engine/ports";
import { internalHostProblem } from "../net/internalAddress";
import type { CloudAuth, CloudCredentials } from "./credentials";

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string }[];
}

interface Token {
  value: string;
  expiresAt: number;
  projectId: string;
  catalog: CatalogEntry[];
}

export interface SessionOptions {
  /** The longest one request may take. */
  timeoutMs?: number;
  /** How many times a transient failure is tried again. */
  retries?: number;
  /** The first backoff; doubled each time. */
  backoffMs?: number;
  /**
   * Refuse every request to an internal address, naming the setting that allows them: for a
   * project's own cloud, whose Keystone (and so its catalog) a project member chooses.
   */
  refuseInternal?: string;
}

/** Service types that were renamed: a catalog may carry either. */
const ALIASES: Record<string, string[]> = {
  volumev3: ["volumev3", "block-storage", "volume"],
  "block-storage": ["block-storage", "volumev3", "volume"],
  messaging: ["messaging"],
};

/** Microversions Kiln speaks: Nova 2.79 takes tags at create (2.52), networks none/auto (2.37). */
const DEFAULT_HEADERS: Record<string, Record<string, string>> = {
  compute: { "openstack-api-version": "compute 2.79", "x-openstack-nova-api-version": "2.79" },
};

const RENEW_MARGIN_MS = 120_000;
const TRANSIENT = new Set([500, 502, 503, 504]);
/** A POST answered 503 (Service Unavailable) was not acted on, so trying again makes nothing twice; a 502 or 504 may have been. */
const NOT_ACTED = new Set([503]);

/** A request that never reached the service: refused or unresolvable, so safe to send again whatever its method. */
class NotSent extends CloudFailure {}

/**
 * The most of one answer Kiln reads. A project's members choose its Keystone (and so every
 * endpoint its catalog names): one answering without end must not fill the server's memory.
 */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** An answer longer than MAX_ANSWER_BYTES: cut off, and not asked for again. */
class AnswerTooLarge extends CloudFailure {}

/** The answer's text, or AnswerTooLarge as soon as it passes the limit (the rest is not read). */
async function cappedText(res: Response, where: string): Promise<string> {
  const tooLarge = () => new AnswerTooLarge(`${where} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB; Kiln reads no more of one answer`, 502);
  if (Number(res.headers.get("content-length")) > MAX_ANSWER_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A request Kiln will not send (to an internal address): trying again changes nothing. */
export class NotAllowed extends CloudFailure {}

export class KeystoneSession {
  private token: Promise<Token> | undefined;
  /** HTTP requests made (authentication included), for the bench's API calls per resource. */
  calls = 0;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly refuseInternal: string | undefined;

  constructor(
    readonly credentials: CloudCredentials,
    options: SessionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.refuseInternal = options.refuseInternal;
  }

  get label(): string {
    const a = this.credentials.auth;
    const project = a.kind === "password" ? (a.trustId ? `trust ${a.trustId}` : a.projectName ?? a.projectId) : `application credential ${a.name ?? a.id}`;
    return `${project ?? "?"} at ${this.credentials.authUrl}${this.credentials.region ? ` (${this.credentials.region})` : ""}`;
  }

  async projectId(): Promise<string> {
    return (await this.currentToken()).projectId;
  }

  /** The endpoint of a service type in the catalog, for this session's interface and region. */
  async endpoint(service: string): Promise<string> {
    const types = ALIASES[service] ?? [service];
    const override = types.map((t) => this.credentials.endpointOverrides?.[t]).find(Boolean);
    const token = await this.currentToken();
    if (override) return override.replace("%(project_id)s", token.projectId);
    for (const type of types) {
      const entry = token.catalog.find((e) => e.type === type);
      const ep = entry?.endpoints.find(
        (e) => e.interface === this.credentials.interface && (!this.credentials.region || (e.region_id ?? e.region) === this.credentials.region),
      );
      if (ep) return ep.url.replace(/\/+$/, "");
    }
    throw new CloudFailure(`The cloud's catalog has no ${this.credentials.interface} endpoint for service type "${service}"${this.credentials.region ? ` in region ${this.credentials.region}` : ""}`, 404);
  }

  /** A request to a service: the answer when its status is 2xx or expected, else a CloudFailure with the cloud's own message. */
  async call(service: string, method: string, path: string, options: CloudCall = {}): Promise<CloudAnswer> {
    for (let attempt = 0, renewed = false; ; attempt++) {
      const token = await this.currentToken();
      const base = await this.endpoint(service);
      const url = /^https?:\/\//.test(path) ? path : `${base}${path}`;
      let answer: CloudAnswer;
      try {
        answer = await this.send(method, url, {
          ...DEFAULT_HEADERS[service],
          ...options.headers,
          "x-auth-token": token.value,
        }, options.body);
      } catch (e) {
        // A POST that may have reached the service (timed out, connection reset) is not sent again.
        if (attempt < this.retries && !(e instanceof NotAllowed) && !(e instanceof AnswerTooLarge) && (method !== "POST" || e instanceof NotSent)) {
          await this.pause(attempt);
          continue;
        }
        throw e;
      }
      if (answer.status === 401 && !renewed) {
        // The token was revoked or Keystone's keys rotated: one new token, once.
        renewed = true;
        this.token = undefined;
        attempt--;
        continue;
      }
      if (answer.status < 400 || options.expect?.includes(answer.status)) return answer;
      const retryable = method === "POST" ? NOT_ACTED.has(answer.status) : TRANSIENT.has(answer.status);
      if (retryable && attempt < this.retries) {
        await this.pause(attempt);
        continue;
      }
      throw new CloudFailure(cloudMessage(answer), answer.status);
    }
  }

  private pause(attempt: number) {
    return new Promise((r) => setTimeout(r, this.backoffMs * 2 ** attempt * (0.75 + Math.random() / 2)));
  }

  /** One HTTP request, its answer read whole within the time limit. */
  private async send(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<CloudAnswer> {
    const problem = this.refuseInternal && (await internalHostProblem(new URL(url), this.refuseInternal));
    if (problem) throw new NotAllowed(`Kiln does not send this project's requests to ${new URL(url).host}: ${problem}`, 403);
    this.calls++;
    const json = body !== undefined && typeof body !== "string";
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: { accept: "application/json", ...(json ? { "content-type": "application/json" } : {}), ...headers },
        body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as string),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await cappedText(res, new URL(url).host);
    } catch (e) {
      if (e instanceof AnswerTooLarge) throw e;
      const timedOut = (e as Error).name === "TimeoutError";
      const where = new URL(url).host;
      const code = ((e as Error).cause as { code?: string } | undefined)?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") throw new NotSent(`${where} cannot be reached (${code})`, 503);
      throw new CloudFailure(timedOut ? `${method} ${where} did not answer within ${this.timeoutMs / 1000} s` : `${where} failed to answer (${code ?? (e as Error).message})`, timedOut ? 408 : 503);
    }
    let parsed: unknown = text === "" ? undefined : text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed, headers: Object.fromEntries(res.headers.entries()) };
  }

  private currentToken(): Promise<Token> {
    const current = this.token;
    if (current) {
      return current.then((t) => (t.expiresAt - Date.now() > RENEW_MARGIN_MS ? t : this.issue()));
    }
    return this.issue();
  }

  /** Issues a token; callers asking while one is issued share the request. */
  private issue(): Promise<Token> {
    const issuing = this.authenticate();
    this.token = issuing;
    issuing.catch(() => {
      if (this.token === issuing) this.token = undefined;
    });
    return issuing;
  }

  private async authenticate(): Promise<Token> {
    const { authUrl } = this.credentials;
    const url = `${/\/v3$/.test(authUrl) ? authUrl : `${authUrl}/v3`}/auth/tokens`;
    let answer: CloudAnswer | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        answer = await this.send("POST", url, {}, { auth: authBody(this.credentials.auth) });
      } catch (e) {
        if (attempt < this.retries && !(e instanceof NotAllowed) && !(e instanceof AnswerTooLarge)) {
          await this.pause(attempt);
          continue;
        }
        throw e;
      }
      if (TRANSIENT.has(answer.status) && attempt < this.retries) {
        await this.pause(attempt);
        continue;
      }
      break;
    }
    if (answer.status !== 201) throw new CloudFailure(`Keystone refused the credentials for ${this.label}: ${keystoneMessage(answer)}`, answer.status);
    const body = answer.body as { token?: { expires_at?: string; project?: { id: string }; catalog?: CatalogEntry[] } };
    const value = answer.headers["x-subject-token"];
    if (!value || !body.token?.expires_at || !body.token.project) {
      throw new CloudFailure(`Keystone issued no project-scoped token for ${this.label}`, 502);
    }
    return { value, expiresAt: Date.parse(body.token.expires_at), projectId: body.token.project.id, catalog: body.token.catalog ?? [] };
  }
}

function authBody(auth: CloudAuth) {
  const domain = (name?: string, id?: string) => (id ? { id } : name ? { name } : undefined);
  if (auth.kind === "applicationCredential") {
    const user = auth.userId ? { id: auth.userId } : auth.username ? { name: auth.username, domain: domain(auth.userDomainName, auth.userDomainId) } : undefined;
    return {
      identity: {
        methods: ["application_credential"],
        application_credential: auth.id ? { id: auth.id, secret: auth.secret } : { name: auth.name, secret: auth.secret, user },
      },
    };
  }
  const user = auth.userId
    ? { id: auth.userId, password: auth.password }
    : { name: auth.username, password: auth.password, domain: domain(auth.userDomainName, auth.userDomainId) ?? { id: "default" } };
  if (auth.trustId) return { identity: { methods: ["password"], password: { user } }, scope: { "OS-TRUST:trust": { id: auth.trustId } } };
  const project = auth.projectId
    ? { id: auth.projectId }
    : auth.projectName
      ? { name: auth.projectName, domain: domain(auth.projectDomainName, auth.projectDomainId) ?? { id: "default" } }
      : undefined;
  return { identity: { methods: ["password"], password: { user } }, ...(project ? { scope: { project } } : {}) };
}

/**
 * Keystone's own error message ({"error": {"message"}}) and nothing else of the answer: the
 * auth_url is a project member's to choose, so whatever else answers there is not shown back.
 */
function keystoneMessage(answer: { status: number; body: unknown }): string {
  const message = (answer.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === "string" ? message.slice(0, 500) : `HTTP ${answer.status}`;
}

/** The cloud's own words for a failure, from whichever error shape the service uses. */
export function cloudMessage(answer: { status: number; body: unknown }): string {
  const text = messageText(answer.body);
  // Swift answers HTML, and Glance's JSON descriptions carry "<br />": keep their text.
  return text?.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 500) || `HTTP ${answer.status}`;
}

function messageText(b: unknown): string | undefined {
  if (b && typeof b === "object") {
    const o = b as Record<string, unknown>;
    const neutron = o.NeutronError as { message?: string } | undefined;
    if (neutron?.message) return neutron.message;
    if (typeof o.description === "string") return o.description;
    if (typeof o.message === "string") return o.message;
    const error = o.error as { message?: string } | undefined;
    if (error?.message) return error.message;
    // Nova and Cinder: { "itemNotFound": { "message": …, "code": 404 } }
    for (const v of Object.values(o)) {
      if (v && typeof v === "object" && typeof (v as { message?: unknown }).message === "string") return (v as { message: string }).message;
    }
  }
  return typeof b === "string" ? b : undefined;
}
