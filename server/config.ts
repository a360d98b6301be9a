/**
 * Process configuration, read once from the environment and command line, validated, and
 * passed down. Nothing below server/main.ts reads process.env.
 */
import path from "node:path";
import { z } from "zod";
import { providerOf, sqlitePath } from "./store/databaseUrl";
import { projectRoot, type Provider } from "./store/schemaFiles";
import { defaultInputLimits, MAX_STACK_TIMEOUT_MINS, type EngineLimits, type InputLimits } from "./engine/limits";
import { MAX_PASSWORD_BYTES } from "./identity/passwords";
import type { KeystoneConfig } from "./identity/keystone/keystoneClient";
import { parseSecretKey, SECRET_KEY_FORMAT } from "./store/secretKey";

export const ROLES = ["all", "web", "worker"] as const;
export type Role = (typeof ROLES)[number];

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  KILN_ROLE: z.enum(ROLES).default("all"),
  DATABASE_URL: z
    .string()
    .default("file:./data/kiln.db")
    .refine((u) => u.startsWith("file:") || /^postgres(ql)?:\/\//.test(u), {
      message: "must be a file: URL (SQLite) or a postgresql:// URL",
    }),
  KILN_PUBLIC_URL: z.string().url().optional(),
  KILN_NO_UI: z.enum(["0", "1"]).default("0"),
  REDIS_URL: z
    .string()
    .refine((u) => /^rediss?:\/\//.test(u), { message: "must be a redis:// URL" })
    .optional(),
  KILN_REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_.-]+$/, "letters, digits, _ . - only").default("kiln"),
  KILN_WORKERS: z.coerce.number().int().min(0).max(256).optional(),
  KILN_MAX_RESOURCES_PER_STACK: z.coerce
    .number()
    .int()
    .min(-1)
    .max(1_000_000)
    .refine((n) => n !== 0, { message: "must be at least 1, or -1 for no limit" })
    .default(1000),
  KILN_STACK_TIMEOUT_MINS: z.coerce.number().int().min(1).max(MAX_STACK_TIMEOUT_MINS).default(60),
  KILN_MAX_STACKS_PER_PROJECT: z.coerce.number().int().min(-1).max(1_000_000).default(512),
  KILN_CHANGES_PER_MINUTE: z.coerce.number().int().min(-1).max(1_000_000).default(300),
  KILN_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  KILN_JOB_BUDGET_SECS: z.coerce.number().min(1).max(3600).default(60),
  KILN_RECONCILE_SECS: z.coerce.number().min(0.1).max(3600).default(3),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("production"),
  KILN_MAX_VALUE_BYTES: z.coerce.number().int().min(1024).default(defaultInputLimits.maxValueBytes),
  KILN_MAX_REQUEST_BYTES: z.coerce.number().int().min(64 * 1024).default(defaultInputLimits.maxRequestBytes),
  KILN_MAX_FILE_BYTES: z.coerce.number().int().min(1024).default(defaultInputLimits.maxFileBytes),
  KILN_MAX_DEPTH: z.coerce.number().int().min(10).max(1000).default(defaultInputLimits.maxDepth),
  KILN_MAX_ALIAS_NODES: z.coerce.number().int().min(0).default(defaultInputLimits.maxAliasNodes),
  // Empty counts as unset: the first start then generates the password.
  KILN_ADMIN_PASSWORD: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .min(8, "must be at least 8 characters")
      // bcrypt reads 72 bytes, not characters: a longer password could never sign in.
      .refine((p) => Buffer.byteLength(p) <= MAX_PASSWORD_BYTES, `must be at most ${MAX_PASSWORD_BYTES} bytes`)
      .optional(),
  ),
  KILN_DATA_DIR: z.string().min(1).optional(),
  KILN_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.every((h) => HOST_NAME.test(h)), { message: "must be host names or host:port, comma-separated (e.g. kiln.example.com,10.0.0.5:3000)" }),
  KILN_SESSION_HOURS: z.coerce.number().min(0.01).max(8760).default(168),
  // Keystone mode; the names follow keystonemiddleware's [keystone_authtoken] options.
  KILN_KEYSTONE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), { message: "must be an http:// or https:// URL" })
      .refine((u) => /\/v3\/?$/.test(u), { message: "must be Keystone's Identity v3 endpoint, ending in /v3 (e.g. http://keystone:5000/v3)" })
      .optional(),
  ),
  KILN_KEYSTONE_USERNAME: z.string().optional(),
  KILN_KEYSTONE_PASSWORD: z.string().optional(),
  KILN_KEYSTONE_PROJECT_NAME: z.string().default("service"),
  KILN_KEYSTONE_USER_DOMAIN_NAME: z.string().min(1).default("Default"),
  KILN_KEYSTONE_PROJECT_DOMAIN_NAME: z.string().min(1).default("Default"),
  KILN_KEYSTONE_DEFAULT_DOMAIN: z.string().min(1).default("Default"),
  KILN_KEYSTONE_TOKEN_CACHE_TIME: z.coerce.number().min(0).max(86400).default(300),
  KILN_KEYSTONE_TIMEOUT_SECS: z.coerce.number().min(0.1).max(120).default(5),
  // Heat's REST API: no-auth mode serves this one project without credentials (loopback only).
  KILN_HEAT_NOAUTH_PROJECT: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a project id: 1 to 64 letters, digits, _ . -").optional()),
  KILN_TEMPLATE_URL_ALLOW_INTERNAL: z.enum(["0", "1"]).default("0"),
  // A project's own cloud: whether its auth_url may be a loopback, private or link-local address.
  KILN_AUTH_URL_ALLOW_INTERNAL: z.enum(["0", "1"]).default("0"),
  // Empty counts as unset: the data directory's generated key file is used.
  KILN_SECRET_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((k) => parseSecretKey(k) !== undefined, SECRET_KEY_FORMAT)
      .transform((k) => parseSecretKey(k)!)
      .optional(),
  ),
}).refine((c) => !c.KILN_KEYSTONE_USERNAME === !c.KILN_KEYSTONE_PASSWORD, {
  message: "KILN_KEYSTONE_USERNAME and KILN_KEYSTONE_PASSWORD go together (Kiln's service user), or neither (tokens then validate themselves)",
  path: ["KILN_KEYSTONE_PASSWORD"],
}).refine((c) => !c.KILN_HEAT_NOAUTH_PROJECT || isLoopbackHost(c.HOST), {
  message: "no-auth mode serves a project to anyone who can connect: it is allowed only when Kiln listens on loopback (set HOST=127.0.0.1 or ::1)",
  path: ["KILN_HEAT_NOAUTH_PROJECT"],
});

/** 127.0.0.0/8, ::1 or localhost: reachable from this machine only. */
export const isLoopbackHost = (host: string) => host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** A host name, IPv4 address or [IPv6] address, with an optional port. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

export type Config = {
  port: number;
  host: string;
  role: Role;
  databaseUrl: string;
  workers: number;
  /** A job is tried this many times (counted when taken), each within the budget, then given up on. */
  jobPolicy: { maxAttempts: number; timeBudgetMs: number };
  /** How often stalled traversals are looked for (reconciler.ts). */
  reconcileMs: number;
  /** How servers reach this Kiln (signal URLs handed to wait condition handles); by default the listening address. */
  publicUrl: string | undefined;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  /** Set in the scaled-out mode: notifications fan out between processes through Redis. */
  redisUrl: string | undefined;
  /** Keeps several Kiln deployments (or test runs) on one Redis apart. */
  redisPrefix: string;
  /** Serve the API, socket.io and health without the Next.js UI (tests, headless servers). */
  noUi: boolean;
  dev: boolean;
  /** The first start's admin password; without it one is generated and written to the data directory. */
  adminPassword: string | undefined;
  /** Where Kiln keeps files of its own (the initial admin password): the SQLite file's directory by default. */
  dataDir: string;
  /** Names this Kiln answers to besides localhost and KILN_PUBLIC_URL's host (DNS rebinding and CSRF defence). */
  allowedHosts: string[];
  /** How long a browser or CLI session lasts after signing in (built-in identity; a Keystone token's expiry bounds its own). */
  sessionMs: number;
  /** Changes (mutations) a project may make per minute; -1: no limit. */
  changesPerMinute: number;
  /** Keystone mode: Keystone validates tokens and holds users, projects and roles. */
  keystone: KeystoneConfig | undefined;
  /** Heat's REST API: the project no-auth mode serves (only when listening on loopback), and whether template_url may reach internal addresses. */
  heat: { noAuthProject: string | undefined; templateUrlAllowInternal: boolean };
  /** Whether a project's own cloud credentials may name an auth_url at an internal address. */
  authUrlAllowInternal: boolean;
  /** Encrypts secret columns (store/columnCipher.ts); without it, a key file in the data directory. */
  secretKey: Buffer | undefined;
  /**
   * Resources per tree of nested stacks and the default timeout (handed to the engine), and how
   * big and how deep one request's input may be (installed once with setInputLimits).
   */
  limits: EngineLimits & InputLimits;
};

/**
 * Queue consumers per process when KILN_WORKERS is not set. On SQLite a consumer is a loop in
 * this process, and the jobs finishing in one turn share one claim and one commit
 * (SqliteDirect.batchInTurn): 16 converged a flat 1,000 resources 10–45% faster than 4 and
 * 32 no faster than 16. On PostgreSQL more than 4 made two worker processes slower (README,
 * Benchmarks).
 */
export const defaultWorkers = (provider: Provider): number => (provider === "sqlite" ? 16 : 4);

/** Parses configuration; throws an Error whose message lists every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, argv: string[]): Config {
  const roleFlag = argv.indexOf("--role");
  const merged = { ...env, ...(roleFlag >= 0 ? { KILN_ROLE: argv[roleFlag + 1] } : {}) };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    role: c.KILN_ROLE,
    databaseUrl: c.DATABASE_URL,
    workers: c.KILN_WORKERS ?? defaultWorkers(providerOf(c.DATABASE_URL)),
    jobPolicy: { maxAttempts: c.KILN_JOB_ATTEMPTS, timeBudgetMs: c.KILN_JOB_BUDGET_SECS * 1000 },
    reconcileMs: c.KILN_RECONCILE_SECS * 1000,
    publicUrl: c.KILN_PUBLIC_URL?.replace(/\/$/, ""),
    logLevel: c.LOG_LEVEL,
    noUi: c.KILN_NO_UI === "1",
    redisUrl: c.REDIS_URL,
    redisPrefix: c.KILN_REDIS_PREFIX,
    dev: argv.includes("--dev"),
    adminPassword: c.KILN_ADMIN_PASSWORD,
    dataDir: path.resolve(projectRoot, c.KILN_DATA_DIR ?? (providerOf(c.DATABASE_URL) === "sqlite" && sqlitePath(c.DATABASE_URL) !== ":memory:" ? path.dirname(sqlitePath(c.DATABASE_URL)) : "data")),
    allowedHosts: c.KILN_ALLOWED_HOSTS,
    sessionMs: c.KILN_SESSION_HOURS * 3_600_000,
    changesPerMinute: c.KILN_CHANGES_PER_MINUTE,
    keystone: c.KILN_KEYSTONE_URL
      ? {
          url: c.KILN_KEYSTONE_URL.replace(/\/$/, ""),
          serviceUser:
            c.KILN_KEYSTONE_USERNAME && c.KILN_KEYSTONE_PASSWORD
              ? {
                  username: c.KILN_KEYSTONE_USERNAME,
                  password: c.KILN_KEYSTONE_PASSWORD,
                  projectName: c.KILN_KEYSTONE_PROJECT_NAME,
                  userDomainName: c.KILN_KEYSTONE_USER_DOMAIN_NAME,
                  projectDomainName: c.KILN_KEYSTONE_PROJECT_DOMAIN_NAME,
                }
              : undefined,
          tokenCacheMs: c.KILN_KEYSTONE_TOKEN_CACHE_TIME * 1000,
          timeoutMs: c.KILN_KEYSTONE_TIMEOUT_SECS * 1000,
          defaultDomain: c.KILN_KEYSTONE_DEFAULT_DOMAIN,
        }
      : undefined,
    secretKey: c.KILN_SECRET_KEY,
    authUrlAllowInternal: c.KILN_AUTH_URL_ALLOW_INTERNAL === "1",
    heat: { noAuthProject: c.KILN_HEAT_NOAUTH_PROJECT, templateUrlAllowInternal: c.KILN_TEMPLATE_URL_ALLOW_INTERNAL === "1" },
    limits: {
      maxResourcesPerStack: c.KILN_MAX_RESOURCES_PER_STACK,
      stackTimeoutMins: c.KILN_STACK_TIMEOUT_MINS,
      maxStacksPerProject: c.KILN_MAX_STACKS_PER_PROJECT,
      maxValueBytes: c.KILN_MAX_VALUE_BYTES,
      maxRequestBytes: c.KILN_MAX_REQUEST_BYTES,
      maxFileBytes: c.KILN_MAX_FILE_BYTES,
      maxDepth: c.KILN_MAX_DEPTH,
      maxAliasNodes: c.KILN_MAX_ALIAS_NODES,
    },
  };
}
