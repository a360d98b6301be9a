/**
 * Wires the engine to this process's database, queue and notifications: the one place where
 * the pure core meets its adapters.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { Engine } from "../engine/convergence/engine";
import { templateLoader } from "../engine/convergence/fromTemplate";
import { builtinPlugins } from "../engine/resources/plugins";
import { DEFAULT_LIMITS, type EngineLimits } from "../engine/limits";
import { EmbeddedQueue } from "../queue/embeddedQueue";
import type { JobPolicy } from "../queue/jobPolicy";
import type { JobQueue } from "../queue/jobQueue";
import type { Database } from "../store/database";
import { aesGcmCipher, type ColumnCipher } from "../store/columnCipher";
import { PrismaStateStore } from "../store/prismaStateStore";
import { PrismaSoftwareStore } from "../store/softwareStore";
import { LocalProcessSignals, metadataChanges, type ProcessSignals } from "../notify/processSignals";
import type { ServerMetadataEvents } from "../engine/ports";
import { LocalNotificationBus, type NotificationBus } from "../notify/notificationBus";
import { StoreNotifier } from "../notify/storeNotifier";
import { resourceTypes } from "./templates";
import { CloudDirectory, type OwnCredentials } from "../clouds/openstackCloud";
import { ProjectCloudStore } from "../clouds/projectClouds";
import { StackTrusts } from "../clouds/stackTrusts";
import type { KeystoneConfig } from "../identity/keystone/keystoneClient";
import { cloudFromEnvironment, type CloudCredentials } from "../clouds/credentials";
import { JOB, type ResumeJob } from "../engine/convergence/jobs";

export interface RuntimeOptions {
  /** Where notifications fan out: in this process by default, through Redis when scaled out. */
  bus?: NotificationBus;
  /** The work queue: kept in the database by default, BullMQ when scaled out. */
  queue?: JobQueue;
  /** Read when a resource needs it, so a server on a random port can set it once it listens. */
  publicUrl: () => string;
  /** The engine's limits; Heat's defaults when not given. */
  limits?: EngineLimits;
  /** Attempts and time budget of a job in the embedded queue (BullMQ gets its own). */
  jobPolicy?: JobPolicy;
  /**
   * Encrypts secret columns with the server's key (store/secretKey.ts). Without it (tests, the
   * bench) a key of this process alone: still encrypted, readable only until it ends.
   */
  cipher?: ColumnCipher;
  /**
   * Messages every process hears (notify/processSignals.ts): Redis when scaled out; in this
   * process by default.
   */
  signals?: ProcessSignals;
  /** Also told when a server's deployment metadata changes (tests). */
  serverMetadata?: ServerMetadataEvents;
  /** Keystone mode: with a service user, stacks of projects without credentials of their own act through trusts (clouds/stackTrusts.ts). */
  keystone?: KeystoneConfig;
  /** Whether a project's own cloud may name an auth_url at an internal address (KILN_AUTH_URL_ALLOW_INTERNAL). */
  authUrlAllowInternal?: boolean;
  /**
   * The OpenStack clouds stacks act in: by default each project's own credentials, else the
   * cloud of the OS_* variables or OS_CLOUD's clouds.yaml entry (none when neither is set);
   * false for none.
   */
  clouds?: ((wake: (resourceId: string) => void, own: OwnCredentials) => CloudDirectory) | false;
}

export function createRuntime(db: Database, log: Logger, opts: RuntimeOptions) {
  const cipher = opts.cipher ?? aesGcmCipher(randomBytes(32));
  const store = new PrismaStateStore(db, cipher);
  const software = new PrismaSoftwareStore(db, cipher);
  const signals = opts.signals ?? new LocalProcessSignals((err) => log.error({ err }, "process signal listener failed"));
  // Told by the engine when a server's metadata changes; the agent gateway pushes it to agents.
  const serverMetadata = metadataChanges(signals);
  const observer = opts.serverMetadata;
  const bus = opts.bus ?? new LocalNotificationBus((err) => log.error({ err }, "notification listener failed"));
  const notifier = new StoreNotifier(db, bus);
  const queue: JobQueue = opts.queue ?? new EmbeddedQueue(db, log, { policy: opts.jobPolicy });
  const limits = opts.limits ?? DEFAULT_LIMITS;
  // The cloud's watcher wakes a waiting resource with a resume job, as a signal does.
  const wake = (resourceId: string) => {
    queue.enqueue([{ kind: JOB.resume, payload: { resourceId } satisfies ResumeJob }]).catch((err) => log.error({ err }, "could not wake a resource"));
  };
  const projectClouds = new ProjectCloudStore(db, cipher);
  const own: OwnCredentials = async (projectId) => (await projectClouds.get(projectId))?.credentials;
  const stackTrusts = StackTrusts.from(db, cipher, opts.keystone);
  const clouds = opts.clouds === false ? undefined : opts.clouds ? opts.clouds(wake, own) : new CloudDirectory(wake, { credentials: environmentCloud(log), own, ownAllowInternal: opts.authUrlAllowInternal, trust: stackTrusts && ((id) => stackTrusts.credentials(id)), onError: (err) => log.warn({ err }, "the cloud's change watcher failed a round") });
  const engine = new Engine({
    store,
    queue,
    notifier,
    clock: { now: () => Date.now() },
    plugins: builtinPlugins,
    loadDefinition: templateLoader(resourceTypes, builtinPlugins),
    newId: randomUUID,
    publicUrl: opts.publicUrl,
    limits,
    software,
    serverMetadata: {
      changed: (serverId) => {
        serverMetadata.changed(serverId);
        return observer?.changed(serverId);
      },
    },
    cloud: async (stack) => clouds?.forStack(stack),
    rootStackDeleted: async (stackId) => {
      // The stack is gone whether or not Keystone can be told now; a trust left behind is logged with its id for an operator.
      const trustId = await stackTrusts?.release(stackId).catch((err) => log.error({ err, stackId }, "could not delete the deleted stack's Keystone trust"));
      if (trustId) clouds?.forgetTrust(trustId);
    },
  });
  for (const [kind, handler] of Object.entries(engine.handlers)) queue.handle(kind, (job) => handler(job.payload, String(job.id)));
  queue.onGiveUp((job, reason) => engine.abandon(job.kind, job.payload, reason));
  return { db, log, store, software, projectClouds, signals, serverMetadata, bus, notifier, queue, engine, limits, clouds, stackTrusts, publicUrl: opts.publicUrl, authUrlAllowInternal: !!opts.authUrlAllowInternal };
}

export type Runtime = ReturnType<typeof createRuntime>;

/** The cloud of OS_CLOUD or the OS_* variables; a configuration that cannot be used is logged, and projects without their own credentials then act in none. */
function environmentCloud(log: Logger): CloudCredentials | null {
  try {
    return cloudFromEnvironment() ?? null;
  } catch (err) {
    log.error({ err }, "the OpenStack cloud configuration cannot be used; stacks of projects without their own credentials act in no cloud");
    return null;
  }
}
