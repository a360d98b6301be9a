/**
 * A create, update, preview or validate request's template, files, environment and
 * parameters (Heat's body fields) as the engine takes them: the template text (sent as data
 * or text, or fetched from template_url), environments in the order they apply (the
 * environment files named or, without them, the body's environment), all within the same
 * limits tRPC's input applies (api/inputs.ts).
 */
import { templateInput } from "../inputs";
import type { StackRecord } from "../../engine/ports";
import type { UpdateStackRequest } from "../../engine/convergence/engine";
import { HeatError } from "./heatErrors";
import { TemplateInvalid } from "../../engine/errors";
import { MAX_STACK_TIMEOUT_MINS } from "../../engine/limits";
import { environmentIndex } from "../../engine/convergence/fromTemplate";
import type { Diagnostic } from "../../engine/diagnostics";
import type { HeatContext } from "./heatRequest";
import { fetchTemplateUrl } from "./templateUrl";

const bad = (message: string) => new HeatError(400, "InvalidParameter", message);

/** A template or environment given as data is kept as JSON text: YAML reads it unchanged. */
const asText = (v: unknown, what: string): string => {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && !Array.isArray(v)) return JSON.stringify(v);
  throw bad(`${what} must be a document (a JSON object or YAML text)`);
};

export interface SubmissionOptions {
  /** A PUT, create or validate needs a template; a PATCH without one keeps the stack's. */
  requireTemplate: boolean;
  current?: StackRecord;
}

/**
 * A submission, and how to tell its problems as its sender knows its parts: an environment file
 * by its name, not its place; no line and column in a document of one line (heatclient sends
 * the YAML template and environment files it read as JSON of its own writing, whose positions
 * point nowhere in the user's files).
 */
export interface Submission {
  request: UpdateStackRequest;
  /** An error as the sender knows its parts: a TemplateInvalid's problems told so, anything else as it is. */
  tell(e: unknown): unknown;
  /** Runs what the submission is for, its errors told so. */
  run<T>(act: (request: UpdateStackRequest) => Promise<T>): Promise<T>;
}

export async function submissionOf(ctx: HeatContext, opts: SubmissionOptions): Promise<Submission> {
  const { request, names } = await readSubmission(ctx, opts);
  const told = (p: Diagnostic): Diagnostic => {
    const { line: _line, column: _column, ...unplaced } = p;
    // A nested template among the files may be the client's JSON of the user's file too.
    const place = environmentIndex(p.file);
    const text = p.file === undefined ? request.template : place !== undefined ? request.environment?.[place] : request.files?.[p.file];
    const placed = text === undefined || text.trim().includes("\n");
    return { ...(placed ? p : unplaced), ...(place !== undefined ? { file: names[place] ?? "environment" } : {}) };
  };
  const tell = (e: unknown) => (e instanceof TemplateInvalid ? new TemplateInvalid(e.problems.map(told)) : e);
  return {
    request,
    tell,
    run: async (act) => {
      try {
        return await act(request);
      } catch (e) {
        throw tell(e);
      }
    },
  };
}

async function readSubmission(ctx: HeatContext, opts: SubmissionOptions): Promise<{ request: UpdateStackRequest; names: string[] }> {
  const b = ctx.body;
  if (Array.isArray(b.tags) ? b.tags.length : typeof b.tags === "string" && b.tags !== "") {
    throw bad("Kiln does not keep stack tags: create the stack without tags");
  }
  let template: string | undefined;
  if (b.template !== undefined && b.template !== null && b.template !== "") template = asText(b.template, "template");
  else if (typeof b.template_url === "string" && b.template_url) template = await fetchTemplateUrl(b.template_url, ctx.templateUrls);
  if (template === undefined) {
    if (opts.requireTemplate || !opts.current) throw bad("Need more arguments: a template (template or template_url)");
    const id = opts.current.templateId ?? opts.current.prevTemplateId;
    template = id ? (await ctx.rt.store.getTemplate(id))?.template : undefined;
    if (template === undefined) throw bad(`Stack "${opts.current.name}" has no template to keep; send one`);
  }
  const files = b.files ?? {};
  if (!files || typeof files !== "object" || Array.isArray(files)) throw bad("files must be a map of file names to their contents");
  const envFiles = b.environment_files ?? [];
  if (!Array.isArray(envFiles) || envFiles.some((f) => typeof f !== "string")) throw bad("environment_files must be a list of names in files");
  const environment: string[] = [];
  for (const name of envFiles as string[]) {
    const text = (files as Record<string, unknown>)[name];
    if (typeof text !== "string") throw bad(`The environment file "${name}" is not among the files sent`);
    environment.push(text);
  }
  // As Heat: with environment files, the body's environment is the client's own merge of those
  // same files (heatclient sends both), so it is left out rather than applied a second time.
  if (envFiles.length === 0 && b.environment !== undefined && b.environment !== null && b.environment !== "") environment.push(asText(b.environment, "environment"));
  const parameters = b.parameters ?? {};
  const checked = templateInput.safeParse({ template, files, environment, parameters });
  if (!checked.success) {
    throw bad(`Invalid input: ${checked.error.issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "(the input)"}: ${i.message}`).join("; ")}`);
  }
  const out: UpdateStackRequest = { ...checked.data };
  const names = envFiles as string[];
  if (b.timeout_mins !== undefined && b.timeout_mins !== null) {
    const t = Number(b.timeout_mins);
    if (!Number.isInteger(t) || t < 1 || t > MAX_STACK_TIMEOUT_MINS) throw bad(`timeout_mins must be a whole number of minutes from 1 to ${MAX_STACK_TIMEOUT_MINS}, not ${JSON.stringify(b.timeout_mins)}`);
    out.timeoutMins = t;
  }
  if (b.disable_rollback !== undefined && b.disable_rollback !== null) {
    const d = b.disable_rollback;
    if (typeof d === "boolean") out.disableRollback = d;
    else if (d === "true" || d === "True") out.disableRollback = true;
    else if (d === "false" || d === "False") out.disableRollback = false;
    else throw bad(`disable_rollback must be true or false, not ${JSON.stringify(d)}`);
  }
  if (b.clear_parameters !== undefined) {
    if (!Array.isArray(b.clear_parameters) || b.clear_parameters.some((p) => typeof p !== "string")) throw bad("clear_parameters must be a list of parameter names");
    out.clearParameters = b.clear_parameters as string[];
  }
  return { request: out, names };
}
