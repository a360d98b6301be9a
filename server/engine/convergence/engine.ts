/**
 * The engine's face: stack operations (create, update, preview, delete, cancel, check) and the
 * job handlers the queue calls. Operations validate, store the template version, and start a
 * traversal; all the work then happens in jobs.
 */
import { stackNameProblem } from "../stackName";
import { formatProblem } from "../diagnostics";
import type { StackDefinition } from "./definition";
import type { StackRecord } from "../ports";
import { parseTemplate } from "../template";
import { parseSource } from "../template/source";
import { isMapping } from "../template/values";
import { runCheckBatch, runCheckJob } from "./checkNode";
import { EngineContext, type EngineDeps } from "./engineContext";
import { JOB, resumeJob, WAIT_KEY, type CheckBatch, type CheckJob, type ResumeJob, type TimeoutJob, type WaitMarker } from "./jobs";
import { normaliseSignal, tokenMatches, waitConditionHandlePlugin, type WaitSignal } from "../resources/plugins/waitConditionHandle";
import { giveUpJob } from "./giveUp";
import { signalDeployment } from "./deploymentSignal";
import { redriveTraversal } from "./redrive";
import { previewUpdate, type UpdatePreview } from "./preview";
import { maskHidden, maskText, secretSet } from "../template/hiddenValues";
import { resumeResource } from "./resourceActions";
import { admitTopLevel, cloudProblems, storeTemplate, templateRecord, type TemplateSubmission } from "./stackTemplates";
import { abortWaits, failTraversal, startTraversal, timeOutTraversal } from "./traversal";
import { message } from "./events";
import { shownType } from "./resourceRows";
import { DuplicateStackName, InvalidRequest, OperationRefused, SignalRefused, TemplateInvalid } from "../errors";

/** A created or updated stack, with what its template was warned about (also kept as the stack's warnings). */
export type SubmittedStack = StackRecord & { warnings: string[] };

export interface CreateStackRequest extends TemplateSubmission {
  projectId: string;
  name: string;
  timeoutMins?: number | null;
  /** Heat's default: a failed create is left as it is for inspection. */
  disableRollback?: boolean;
  /** The new stack's id when the caller chose it first (to keep something with it before its first job runs). */
  id?: string;
}

export interface UpdateStackRequest extends TemplateSubmission {
  timeoutMins?: number | null;
  disableRollback?: boolean;
  /**
   * Heat's PATCH update (`--existing`): the stack's environment and files carry over under
   * those given now, and parameters the new template still declares keep their current values
   * unless given again or named in `clearParameters` (which then fall back to their defaults).
   * Hidden parameters and a type mapped in an environment file are kept without being resent.
   */
  existing?: boolean;
  clearParameters?: string[];
}

async function withExisting(ctx: EngineContext, stack: StackRecord, req: UpdateStackRequest): Promise<UpdateStackRequest> {
  if (!req.existing) return req;
  const previous = stack.templateId ? await ctx.deps.store.getTemplate(stack.templateId) : undefined;
  // The last document is the parameters the stack was given, when there were any: they are
  // carried over below, where clearParameters can take some back.
  const given = JSON.stringify({ parameters: stack.parameters });
  const cleared = new Set(req.clearParameters ?? []);
  const environment = (previous?.environment ?? []).filter((doc, i, all) => !(i === all.length - 1 && doc === given)).map((doc) => withoutParameters(doc, cleared));
  const declared = new Set(parseTemplate(req.template).template?.parameters.map((p) => p.name) ?? []);
  const kept = Object.entries(stack.parameters).filter(([name]) => declared.has(name) && !cleared.has(name));
  return {
    ...req,
    files: { ...previous?.files, ...req.files },
    environment: [...environment, ...(req.environment ?? [])],
    parameters: { ...Object.fromEntries(kept), ...req.parameters },
  };
}

/**
 * An environment document without the named parameters in its `parameters` section: Heat's
 * clear_parameters takes a value back wherever it was given, an environment file included
 * (not parameter_defaults, which then apply). Documents that set none of them stay as written.
 */
function withoutParameters(doc: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return doc;
  const parsed = parseSource(doc).value;
  if (!isMapping(parsed) || !isMapping(parsed.parameters) || !Object.keys(parsed.parameters).some((name) => names.has(name))) return doc;
  return JSON.stringify({ ...parsed, parameters: Object.fromEntries(Object.entries(parsed.parameters).filter(([name]) => !names.has(name))) });
}

export class Engine {
  readonly ctx: EngineContext;

  constructor(deps: EngineDeps) {
    this.ctx = new EngineContext(deps);
  }

  /** The job kinds this engine handles, for the queue to dispatch. */
  /** `jobId`: the queue's id of the job, the same on each delivery of it. */
  readonly handlers: Record<string, (payload: unknown, jobId?: string) => Promise<void>> = {
    [JOB.check]: (p, jobId) => runCheckJob(this.ctx, p as CheckJob, jobId),
    [JOB.checks]: (p, jobId) => runCheckBatch(this.ctx, p as CheckBatch, jobId),
    [JOB.resume]: (p, jobId) => this.onResume(p as ResumeJob, jobId),
    [JOB.timeout]: (p) => this.onTimeout(p as TimeoutJob),
  };

  async createStack(req: CreateStackRequest): Promise<SubmittedStack> {
    const { store, clock, newId } = this.ctx.deps;
    const nameProblem = stackNameProblem(req.name);
    if (nameProblem) throw new InvalidRequest(`Invalid stack name "${req.name}": ${nameProblem}`);
    if (await store.findStackByName(req.projectId, req.name)) throw new DuplicateStackName(req.name);
    const most = this.ctx.limits.maxStacksPerProject;
    if (most >= 0 && (await store.listStacks(req.projectId)).length >= most) {
      throw new OperationRefused(`This project already has ${most} stacks, the most it may have; delete one before creating another`);
    }
    const id = req.id ?? newId();
    const template = await storeTemplate(this.ctx, { id, name: req.name, projectId: req.projectId }, req, admitTopLevel(this.ctx, { projectId: req.projectId, rootStackId: id }));
    const now = new Date(clock.now()).toISOString();
    const stack: StackRecord = {
      id,
      projectId: req.projectId,
      name: req.name,
      parentResourceId: null,
      rootStackId: id,
      stackPath: "",
      action: "CREATE",
      status: "IN_PROGRESS",
      statusReason: "Stack CREATE started",
      templateId: template.id,
      prevTemplateId: null,
      parameters: req.parameters ?? {},
      currentTraversal: null,
      disableRollback: req.disableRollback ?? true,
      timeoutMins: req.timeoutMins ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await store.createStack(stack);
    const warnings = await this.keepWarnings(id, template.definition);
    await startTraversal(this.ctx, stack, { action: "CREATE", templateId: template.id, prevTemplateId: null });
    return { ...(await store.getStack(id))!, warnings };
  }

  /** Starts an update; one submitted while another runs overtakes it. */
  async updateStack(stackId: string, req: UpdateStackRequest): Promise<SubmittedStack> {
    const { store } = this.ctx.deps;
    const stack = await this.stackForChange(stackId, "update");
    const submission = await withExisting(this.ctx, stack, req);
    const template = await storeTemplate(this.ctx, stack, submission, admitTopLevel(this.ctx, stack));
    const patch: Partial<StackRecord> = { parameters: submission.parameters ?? {} };
    if (req.timeoutMins !== undefined) patch.timeoutMins = req.timeoutMins;
    if (req.disableRollback !== undefined) patch.disableRollback = req.disableRollback;
    await store.updateStack(stackId, patch);
    const warnings = await this.keepWarnings(stackId, template.definition);
    // Roll back to the last template that converged, not to one that was overtaken or failed.
    const lastGood = stack.status === "COMPLETE" ? stack.templateId : stack.prevTemplateId ?? stack.templateId;
    await startTraversal(this.ctx, { ...stack, ...patch }, { action: "UPDATE", templateId: template.id, prevTemplateId: lastGood });
    return { ...(await store.getStack(stackId))!, warnings };
  }

  async previewUpdate(stackId: string, req: UpdateStackRequest): Promise<UpdatePreview> {
    // As its update is: a nested stack changes with its parent.
    const stack = await this.stackForChange(stackId, "preview an update of");
    const def = this.ctx.deps.loadDefinition(templateRecord("preview", stack.projectId, await withExisting(this.ctx, stack, req)), stack, true);
    const missing = await cloudProblems(this.ctx, stack, def);
    if (missing.length) throw new TemplateInvalid(missing);
    // Properties resolved from hidden values (new or kept) show the mask.
    return maskHidden(await previewUpdate(this.ctx, stack, def), secretSet(def.hidden ?? [], await this.ctx.secrets(stack)));
  }

  async deleteStack(stackId: string): Promise<StackRecord> {
    const stack = await this.stackOrThrow(stackId);
    if (stack.parentResourceId) throw new OperationRefused(`Stack "${stack.name}" is nested; delete or update its parent instead`);
    if (stack.action === "DELETE" && stack.status === "IN_PROGRESS") return stack;
    await startTraversal(this.ctx, stack, { action: "DELETE", templateId: null, prevTemplateId: stack.templateId });
    return (await this.ctx.deps.store.getStack(stackId)) ?? stack;
  }

  /** Stops an update in progress and rolls back to the previous template (Heat's cancel_update). */
  async cancelUpdate(stackId: string): Promise<StackRecord> {
    const stack = await this.stackOrThrow(stackId);
    if (stack.status !== "IN_PROGRESS" || !stack.currentTraversal || (stack.action !== "UPDATE" && stack.action !== "CREATE")) {
      throw new OperationRefused(`Stack "${stack.name}" is ${stack.action}_${stack.status}: only a create or update in progress can be cancelled`);
    }
    const rollback = stack.action === "UPDATE" ? true : undefined;
    const traversal = stack.currentTraversal;
    await abortWaits(this.ctx, stackId, (lock) => lock === traversal, `the stack ${stack.action} was cancelled`, traversal);
    await failTraversal(this.ctx, stackId, stack.currentTraversal, `Stack ${stack.action} cancelled`, rollback);
    return (await this.ctx.deps.store.getStack(stackId))!;
  }

  /** Verifies every resource still exists as recorded. */
  async checkStack(stackId: string): Promise<StackRecord> {
    const stack = await this.stackForChange(stackId, "check");
    // A check would overtake the operation in flight and leave it half done.
    if (stack.status === "IN_PROGRESS") {
      throw new OperationRefused(`Stack "${stack.name}" is ${stack.action}_IN_PROGRESS: check it once that has finished`);
    }
    await startTraversal(this.ctx, stack, { action: "CHECK", templateId: stack.templateId, prevTemplateId: stack.prevTemplateId });
    return (await this.ctx.deps.store.getStack(stackId))!;
  }

  /**
   * A signal to a wait condition handle (authenticated by the handle's token): kept on the
   * handle, and every wait condition of the stack waiting on a handle is woken to read it.
   */
  async signal(handleResourceId: string, token: string | undefined, body: unknown): Promise<WaitSignal> {
    const { store, queue } = this.ctx.deps;
    const handle = await store.getResource(handleResourceId);
    if (!handle || handle.type !== waitConditionHandlePlugin.type || !handle.data.token) {
      throw new OperationRefused(`No wait condition handle ${handleResourceId}`);
    }
    if (!tokenMatches(token, String(handle.data.token))) throw new SignalRefused("The signal's X-Auth-Token does not match the handle's token");
    const signals = (handle.data.signals as WaitSignal[] | undefined) ?? [];
    const signal = normaliseSignal(body, signals.length);
    await store.updateResource(handle.id, { data: { ...handle.data, signals: [...signals, signal] } });
    const stack = await store.getStack(handle.stackId);
    if (stack) {
      await this.ctx.deps.notifier.notify([
        { stackId: stack.id, kind: "event", resourceName: handle.name, physicalResourceId: handle.physicalId, resourceType: shownType(handle), action: "SIGNAL", status: "COMPLETE", reason: `Signal: status:${signal.status} reason:${signal.reason}` },
      ]);
    }
    const waiting = (await store.listResources(handle.stackId)).filter((r) => r.type === "OS::Heat::WaitCondition" && r.data[WAIT_KEY]);
    await queue.enqueue(waiting.map((r) => ({ kind: JOB.resume, payload: resumeJob(r.id, r.stackId, r.data[WAIT_KEY] as WaitMarker) })));
    return signal;
  }

  /**
   * Validation's warnings become the stack's warning notifications (with the resource they are
   * about), so the stack page, its event log and the CLI show them after the form is gone.
   */
  private async keepWarnings(stackId: string, definition: StackDefinition): Promise<string[]> {
    const found = definition.warnings ?? [];
    const secrets = secretSet(definition.hidden ?? []);
    const texts = found.map((d) => maskText(formatProblem(d), secrets));
    if (texts.length) {
      await this.ctx.deps.notifier.notify(found.map((d, i) => message(stackId, "warning", texts[i]!, /^resources\.([^.]+)/.exec(d.path)?.[1] ?? null, null)));
    }
    return texts;
  }

  /**
   * A server's report of a software deployment (the caller has checked who sent it): kept once,
   * and the deployment resource woken. Throws InvalidDeploymentSignal for a body that is not one.
   */
  signalDeployment(deploymentId: string, body: unknown): Promise<{ status: string }> {
    return signalDeployment(this.ctx, deploymentId, body);
  }

  private async stackOrThrow(stackId: string): Promise<StackRecord> {
    const stack = await this.ctx.deps.store.getStack(stackId);
    if (!stack) throw new OperationRefused(`Stack ${stackId} not found`);
    return stack;
  }

  private async stackForChange(stackId: string, what: string): Promise<StackRecord> {
    const stack = await this.stackOrThrow(stackId);
    if (stack.parentResourceId) throw new OperationRefused(`Stack "${stack.name}" is nested; ${what} its parent instead`);
    if (stack.action === "DELETE") throw new OperationRefused(`Stack "${stack.name}" is being deleted`);
    return stack;
  }

  /**
   * A wake-up whose resource no longer waits was delivered again after its worker died: the
   * resource may have finished without propagating. Running its node again propagates, once,
   * as a redelivered check job does.
   */
  private async onResume(job: ResumeJob, jobId?: string) {
    if (await resumeResource(this.ctx, job)) return;
    if (!job.stackId || !job.traversal || !job.node) return;
    const stack = await this.ctx.deps.store.getStack(job.stackId);
    if (stack?.currentTraversal !== job.traversal) return;
    await runCheckJob(this.ctx, { stackId: job.stackId, traversal: job.traversal, node: job.node }, jobId);
  }

  /**
   * The queue gave up on a job (it threw, ran past its time budget or took its process down
   * too many times): what it was converging fails with `reason`, and so does its traversal.
   */
  async abandon(kind: string, payload: unknown, reason: string): Promise<void> {
    await giveUpJob(this.ctx, kind, payload, reason);
  }

  /**
   * Drives on a traversal that has nothing queued for it (redrive.ts); the caller has made sure
   * of that. `claim` arbitrates between processes that found the same traversal stalled.
   */
  redrive(stackId: string, traversal: string, claim: () => Promise<boolean>): Promise<number> {
    return redriveTraversal(this.ctx, stackId, traversal, claim);
  }

  private async onTimeout(job: TimeoutJob) {
    const stack = await this.ctx.deps.store.getStack(job.stackId);
    if (!stack || stack.currentTraversal !== job.traversal || stack.status !== "IN_PROGRESS") return;
    const minutes = this.ctx.timeoutMinsOf(stack);
    await timeOutTraversal(this.ctx, stack.id, job.traversal, `Timed out: the stack ${stack.action} did not finish within ${minutes} minute${minutes === 1 ? "" : "s"}`);
  }
}
