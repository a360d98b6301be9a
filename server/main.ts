/**
 * Kiln's process entry. One process serves the UI (Next.js), tRPC, socket.io, health and
 * version on one port, and runs queue workers, according to its role:
 *   all     (default) everything, the embedded mode
 *   web     UI and API only; workers run elsewhere
 *   worker  queue consumers, plus /healthz and /version on PORT
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { loadConfig, type Config } from "./config";
import { setInputLimits } from "./engine/limits";
import { apiRoutes } from "./httpRoutes";
import { compressedStaticAssets } from "./build/staticAssets";
import { Access } from "./identity/access";
import { AllowedHosts } from "./identity/allowedHosts";
import { openIdentity } from "./identity/openIdentity";
import { gatePages } from "./identity/pageGate";
import { createLogger, type Logger } from "./log";
import { createRuntime } from "./services/runtime";
import { RedisNotificationBus } from "./notify/redisNotificationBus";
import { BullmqQueue } from "./queue/bullmqQueue";
import { EmbeddedQueue } from "./queue/embeddedQueue";
import { Reconciler } from "./services/reconciler";
import { attachGateway } from "./realtime/gateway";
import { aesGcmCipher, SecretKeyMismatch } from "./store/columnCipher";
import { agentBackend } from "./agents/agentBackend";
import { attachAgentGateway } from "./agents/agentGateway";
import { StoredAgentPresence } from "./agents/agentPresence";
import { RedisProcessSignals } from "./notify/processSignals";
import { openDatabase } from "./store/database";
import { sealClearRows } from "./store/sealClearRows";
import { checkKeyOpensStoredData, loadSecretKey } from "./store/secretKey";
import { projectRoot } from "./store/schemaFiles";
import { versionInfo } from "./version";

async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  setInputLimits(config.limits);
  const log = createLogger(config.logLevel);
  log.info({ role: config.role, version: versionInfo.version }, "starting kiln");

  const db = await openDatabase(config.databaseUrl);
  log.info({ provider: db.provider }, "database ready");
  const cipher = aesGcmCipher(loadSecretKey(config, log));
  try {
    await checkKeyOpensStoredData(db, cipher);
  } catch (e) {
    if (!(e instanceof SecretKeyMismatch)) throw e;
    log.fatal(e.message);
    process.exit(2);
  }
  const sealedNow = await sealClearRows(db, cipher);
  if (sealedNow) log.info({ values: sealedNow }, "encrypted the secret columns a Kiln before encryption stored in clear");

  let listeningUrl = `http://localhost:${config.port}`;
  const redisBus = config.redisUrl ? await RedisNotificationBus.connect(config.redisUrl, config.redisPrefix, log) : undefined;
  if (config.role !== "all" && !redisBus) {
    log.warn({ role: config.role }, "a web or worker process without REDIS_URL sees only its own notifications");
  }
  const rt = createRuntime(db, log, {
    publicUrl: () => config.publicUrl ?? listeningUrl,
    limits: config.limits,
    bus: redisBus,
    // Scaled out, a worker's change reaches the web process that holds the agent's connection,
    // and a sign-out every process that holds that session's live connections.
    signals: config.redisUrl ? await RedisProcessSignals.connect(config.redisUrl, config.redisPrefix, log) : undefined,
    queue: config.redisUrl ? BullmqQueue.fromUrl(config.redisUrl, log, config.redisPrefix, config.jobPolicy) : undefined,
    jobPolicy: config.jobPolicy,
    authUrlAllowInternal: config.authUrlAllowInternal,
    keystone: config.keystone,
    cipher,
  });
  const queue = rt.queue;
  const identity = await openIdentity(db, config, log);
  const access = new Access(db, identity, new AllowedHosts(config.publicUrl, config.allowedHosts), !!config.publicUrl?.startsWith("https:"), config.changesPerMinute);
  const routes = apiRoutes(rt, config.role, access, config.heat);
  if (config.heat.noAuthProject) {
    log.warn(
      { project: config.heat.noAuthProject, host: config.host },
      `NO AUTHENTICATION on Heat's API: anyone who can connect to ${config.host} acts as a member of project "${config.heat.noAuthProject}" under /v1/${config.heat.noAuthProject}/ (KILN_HEAT_NOAUTH_PROJECT)`,
    );
  }

  const serveApi = config.role !== "worker";
  const serveUi = serveApi && !config.noUi;
  const nextApp = serveUi ? next({ dev: config.dev, dir: projectRoot, hostname: "localhost", port: config.port }) : undefined;
  if (nextApp) await nextApp.prepare();
  const pages = nextApp && gatePages(access, nextApp.getRequestHandler());
  // In development Next serves what it compiles, not the last build's files.
  const nextHandler = pages && !config.dev ? compressedStaticAssets(path.join(projectRoot, ".next", "static"), pages) : pages;

  const server = http.createServer((req, res) => {
    if (routes(req, res)) return;
    if (nextHandler) return void nextHandler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end(serveApi ? "Not found (this Kiln serves no UI: KILN_NO_UI=1).\n" : "This Kiln process runs the worker role only.\n");
  });
  const io = serveApi ? attachGateway(server, rt, access) : undefined;
  // Kiln's agents: the /agent namespace on the same socket.io server.
  const agents = io && attachAgentGateway(io, { backend: agentBackend(rt), changes: rt.serverMetadata, presence: new StoredAgentPresence(db), notifier: rt.notifier, log, db });
  if (nextApp && config.dev) {
    const upgrade = nextApp.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  listeningUrl = `http://${host}:${port}`;
  log.info({ url: listeningUrl, workers: config.role === "web" ? 0 : config.workers }, "kiln is ready");
  // Only now, with /healthz answering, does any job run: a job that hangs or kills the process
  // cannot keep the server from coming up, and the attempts it used are counted (jobPolicy.ts).
  const reconciler = config.role === "web" ? undefined : new Reconciler(db, queue, rt.engine, rt.notifier, log, { intervalMs: config.reconcileMs });
  if (config.role !== "web") {
    const resumed = queue instanceof EmbeddedQueue ? await queue.releaseOrphanedLeases() : 0;
    if (resumed) log.warn({ jobs: resumed }, "resuming jobs a previous run left unfinished");
    await queue.start(config.workers);
    reconciler?.start();
  }

  installShutdown(log, async () => {
    server.close();
    server.closeAllConnections();
    agents?.close();
    io?.close();
    await reconciler?.stop();
    await queue.close(JOB_GRACE_MS);
    await nextApp?.close();
    await redisBus?.close();
    await rt.signals.close();
    await db.close();
  });
}

/** Jobs in hand at shutdown get this long to finish; the rest are left to their leases. */
const JOB_GRACE_MS = 8_000;
/** The process exits by then whatever happens (SIGTERM always exits within 15 s). */
const FORCE_EXIT_MS = 12_000;

/** On SIGTERM/SIGINT: stop taking work, give the jobs in hand a few seconds, close the database, exit. */
function installShutdown(log: Logger, shutdown: () => Promise<void>) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      log.error(`shutdown took over ${FORCE_EXIT_MS / 1000} s; exiting anyway (leased jobs will be retaken)`);
      process.exit(1);
    }, FORCE_EXIT_MS);
    force.unref();
    shutdown()
      .then(() => {
        log.info("stopped");
        process.exit(0);
      })
      .catch((e) => {
        log.error({ err: e }, "error while shutting down");
        process.exit(1);
      });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

main().catch((e) => {
  console.error(`kiln failed to start: ${(e as Error).message}`);
  process.exit(1);
});
