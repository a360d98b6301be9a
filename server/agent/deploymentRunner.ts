/**
 * Applies deployments exactly once and gets their signals to Kiln at least once:
 *  - an entry id marked started (durably, before anything runs) is never run again, by this
 *    agent process or any later one;
 *  - a run an earlier agent left going is waited for and collected; one whose process vanished
 *    without an exit code (the machine restarted) is reported failed;
 *  - the signal body is stored before it is sent, and sent again until Kiln acknowledges it
 *    (the outbox is the set of results not yet marked signalled).
 */
import { attach, releaseRuns, startDetached, type RunEnd } from "./detachedRun";
import { bootId, DeploymentState, knownEntries, type SignalRecord } from "./deploymentState";
import { inputValues, planDeployment, type DeploymentEntry, type HookPlaces, type SignalBody } from "./hooks";
import { LiveLog, type Stream } from "./liveLog";

/** What the runner needs of the connection to Kiln. */
export interface KilnLink {
  connected(): boolean;
  /** "ack": Kiln has it; "refused": it never will (wrong or stale deployment); "retry": try later. */
  signal(entryId: string, body: SignalBody): Promise<"ack" | "refused" | "retry">;
  /** Answers false when it cannot send now. */
  log(entryId: string, stream: Stream, lines: string[]): boolean;
}

export type AgentLog = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/**
 * Bytes of a signal's JSON: below socket.io's default packet limit (1e6 bytes), past which
 * Kiln would drop the connection instead of taking it (heat-config-notify keeps 950000 under
 * Heat's 1 MiB body limit in the same way).
 */
const MAX_SIGNAL_BYTES = 900_000;
/** A signal Kiln could not take is sent again after this long. */
const RETRY_MS = 5_000;

export class DeploymentRunner {
  private flushing: Promise<void> | undefined;
  private flushAgain = false;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly places: HookPlaces,
    private readonly link: KilnLink,
    private readonly log: AgentLog,
  ) {}

  stop() {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    releaseRuns();
  }

  /**
   * Runs each entry not yet started, in order; waits for any an earlier agent left running.
   * `current` says whether an entry is still in the latest metadata: one that newer metadata
   * dropped while earlier ones ran (its deployment moved on, or went) is not started.
   */
  async applyAll(entries: DeploymentEntry[], current: (entryId: string) => boolean = () => true): Promise<void> {
    for (const entry of entries) {
      if (this.stopping) return;
      if (!current(entry?.id)) continue;
      await this.apply(entry);
    }
  }

  /** After a restart: collects what earlier runs left unfinished, then sends what is unsent. */
  async resumeUnfinished(): Promise<void> {
    for (const state of knownEntries(this.places.stateDir)) {
      if (this.stopping) return;
      if (!state.result()) await this.finish(state, await attach(state, { stopped: () => this.stopping }), undefined);
    }
    this.flushOutbox();
  }

  async apply(entry: DeploymentEntry): Promise<void> {
    if (typeof entry?.id !== "string" || !entry.id) return this.log("warn", "skipping a deployment without an id");
    const state = new DeploymentState(this.places.stateDir, entry.id);
    if (state.started()) {
      // Started before: by this process (then it is finished, or being waited for by an
      // earlier call) or by an earlier one (resumeUnfinished collects it).
      if (!state.result()) await this.finish(state, await attach(state, { stopped: () => this.stopping }), undefined);
      return;
    }
    const inputs = inputValues(entry);
    const signal = inputs.deploy_signal_transport !== "NO_SIGNAL";
    // Another agent on this state directory started it a moment ago: it is that agent's.
    if (!state.markStarted(entry, { at: new Date().toISOString(), bootId: bootId(), deploymentId: entry.id, signal })) return;
    this.log("info", "applying deployment", { id: entry.id, name: entry.name, group: entry.group, action: inputs.deploy_action });
    let plan;
    try {
      plan = planDeployment(entry, state, this.places);
    } catch (e) {
      return this.store(state, { deploy_stdout: "", deploy_stderr: `The agent could not prepare this deployment: ${(e as Error).message}`, deploy_status_code: 1 });
    }
    if (plan.kind === "skip") {
      this.log("warn", `skipping deployment: ${plan.why}`, { id: entry.id });
      state.saveResult({ deploymentId: entry.id, body: {} });
      state.markSignalled(`skipped: ${plan.why}`);
      return;
    }
    if (plan.kind === "inline") return this.store(state, plan.apply());
    const live = this.liveLog(state, plan.liveStreams);
    live.start();
    const end = await startDetached(state, plan.command);
    live.finish();
    await this.finish(state, end, plan.collect);
  }

  /** Sends every stored result Kiln has not acknowledged; overlapping calls make one more pass. */
  flushOutbox(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        for (const state of knownEntries(this.places.stateDir)) {
          if (this.stopping || !this.link.connected()) break;
          const result = state.result();
          if (result && !state.signalled()) await this.send(state, result);
        }
      } while (this.flushAgain && !this.stopping && this.link.connected());
    })().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private liveLog(state: DeploymentState, streams: Stream[]) {
    return new LiveLog(state, streams, (stream, lines) => this.link.connected() && this.link.log(state.entryId, stream, lines));
  }

  private async finish(state: DeploymentState, end: RunEnd, collect: ((exitCode: number) => SignalBody) | undefined) {
    if ("stopped" in end) return;
    if ("vanished" in end) {
      this.log("warn", "a deployment's run vanished; reporting it failed", { id: state.entryId, why: end.vanished });
      return this.store(state, {
        deploy_stdout: state.readOutput("stdout"),
        deploy_stderr: `${state.readOutput("stderr")}\nThe deployment did not finish: ${end.vanished}. It is not run again.`.trimStart(),
        deploy_status_code: 1,
      });
    }
    // An earlier agent started it: the plan is made again from the stored entry (files only;
    // nothing runs) to know how to read its results.
    if (!collect) {
      const entry = JSON.parse(state.readEntry()) as DeploymentEntry;
      const plan = planDeployment(entry, state, this.places);
      // The live log resumes where the earlier agent left it.
      this.liveLog(state, ["stdout", "stderr"]).finish();
      collect = plan.kind === "run" ? plan.collect : () => ({ deploy_stdout: "", deploy_stderr: "", deploy_status_code: end.exitCode });
    }
    this.store(state, collect(end.exitCode));
  }

  private store(state: DeploymentState, body: SignalBody) {
    const started = state.started()!;
    state.saveResult({ deploymentId: started.deploymentId, body: trimmed(body) });
    this.log("info", "deployment finished", { id: state.entryId, status: body.deploy_status_code });
    if (!started.signal) {
      state.markSignalled("NO_SIGNAL");
      return;
    }
    void this.flushOutbox();
  }

  private async send(state: DeploymentState, result: SignalRecord) {
    const answer = await this.link.signal(state.entryId, result.body).catch(() => "retry" as const);
    if (answer === "retry") {
      // Kiln could not take it now: try again soon (a reconnect tries at once as well).
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        if (!this.stopping) void this.flushOutbox();
      }, RETRY_MS);
      return;
    }
    state.markSignalled(answer);
    if (answer === "refused") this.log("warn", "Kiln refused this deployment's signal (it no longer waits for it)", { id: state.entryId });
  }
}

/** As heat-config-notify: stdout and stderr lose their beginnings until the body fits. */
export function trimmed(body: SignalBody): SignalBody {
  const out = { ...body };
  const bytes = () => Buffer.byteLength(JSON.stringify(out));
  for (let size = bytes(); size > MAX_SIGNAL_BYTES; size = bytes()) {
    const over = size - MAX_SIGNAL_BYTES;
    const logs = ["deploy_stdout", "deploy_stderr"].filter((k) => typeof out[k] === "string" && (out[k] as string).length > 0);
    if (!logs.length) break;
    for (const key of logs) {
      const value = out[key] as string;
      out[key] = value.slice(Math.min(value.length, Math.ceil((value.length / size) * over) + 64));
    }
  }
  return out;
}
