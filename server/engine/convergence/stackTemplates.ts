/**
 * Storing what the user submitted as an immutable template version. User parameters travel as
 * the last environment document (`{"parameters": …}`), exactly as Heat merges `--parameter`
 * values into the environment, so a template version is all a traversal needs to rebuild its
 * definition, and rolling back to a version restores its parameters too.
 */
import type { RawTemplateRecord } from "../ports";
import { sizeOf, type StackDefinition } from "./definition";
import { type EngineContext, type StackIdentity } from "./engineContext";
import { treeSizeProblems } from "../validation/treeSize";
import { nextTurn } from "../pace";
import { checkCloudLookups } from "../validation/cloudLookups";
import { maskHidden, secretSet } from "../template/hiddenValues";
import type { Diagnostic } from "../diagnostics";
import { TemplateInvalid } from "../errors";

export interface TemplateSubmission {
  template: string;
  files?: Record<string, string>;
  environment?: string[];
  parameters?: Record<string, unknown>;
}

export function templateRecord(id: string, projectId: string, s: TemplateSubmission): RawTemplateRecord {
  const environment = [...(s.environment ?? [])];
  if (s.parameters && Object.keys(s.parameters).length) environment.push(JSON.stringify({ parameters: s.parameters }));
  return { id, projectId, template: s.template, files: s.files ?? {}, environment };
}

/**
 * Loads the submission (throwing TemplateInvalid with every problem), lets `admit` refuse it
 * (by throwing) before anything is stored, and stores it.
 */
export async function storeTemplate(
  ctx: EngineContext,
  stack: StackIdentity,
  s: TemplateSubmission,
  admit: (definition: StackDefinition) => Promise<void>,
): Promise<{ id: string; definition: StackDefinition }> {
  const record = templateRecord(ctx.deps.newId(), stack.projectId, s);
  const definition = ctx.deps.loadDefinition(record, stack, !stack.parentResourceId);
  // Loading a large template is one long synchronous step: let the event loop turn after it.
  await nextTurn();
  await admit(definition);
  await ctx.deps.store.saveTemplate(record);
  ctx.keepDefinition(record.id, definition);
  return { id: record.id, definition };
}

/** Which cloud a stack acts in is decided by its project and its tree (ports: EngineDeps.cloud). */
type CloudOf = Parameters<NonNullable<EngineContext["deps"]["cloud"]>>[0];

/**
 * A top-level template is its tree's first part: one the limit cannot hold (its resources, and
 * its groups' members when their counts are known) is invalid, as validate says too; so is one
 * naming a flavor, an image, a network… the project's cloud does not have.
 */
export function admitTopLevel(ctx: EngineContext, stack: CloudOf) {
  return async (definition: StackDefinition) => {
    const problems = treeSizeProblems(sizeOf(definition), ctx.limits.maxResourcesPerStack);
    if (problems.length) throw new TemplateInvalid(problems);
    const missing = await cloudProblems(ctx, stack, definition);
    if (missing.length) throw new TemplateInvalid(missing);
  };
}

/** What the project's cloud says of the values the template names; with no cloud configured, nothing is asked. */
export async function cloudProblems(ctx: EngineContext, stack: CloudOf, definition: StackDefinition): Promise<Diagnostic[]> {
  const cloud = definition.cloudLookups?.length ? await ctx.deps.cloud?.(stack) : undefined;
  if (!cloud) return [];
  return maskHidden(await checkCloudLookups(definition.cloudLookups!, cloud), secretSet(definition.hidden ?? []));
}
