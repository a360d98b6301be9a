/**
 * Storing what the user submitted as an immutable template version. User parameters travel as
 * the last environment document (`{"parameters": …}`), exactly as Heat merges `--parameter`
 * values into the environment, so a template version is all a traversal needs to rebuild its
 * definition, and rolling back to a version restores its parameters too.
 */
import type { RawTemplateRecord } from "../ports";
import type { StackDefinition } from "./definition";
import type { EngineContext, StackIdentity } from "./engineContext";

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

/** Loads the submission (throwing TemplateInvalid with every problem) and stores it. */
export async function storeTemplate(
  ctx: EngineContext,
  stack: StackIdentity,
  s: TemplateSubmission,
): Promise<{ id: string; definition: StackDefinition }> {
  const record = templateRecord(ctx.deps.newId(), stack.projectId, s);
  const definition = ctx.deps.loadDefinition(record, stack);
  await ctx.deps.store.saveTemplate(record);
  return { id: record.id, definition };
}
