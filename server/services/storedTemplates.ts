/**
 * The parsed form of a stored template version, for the reads that show a stack (its
 * description, parameters, a resource's metadata). Every stored version gets an id of its own
 * (saveTemplate is never called twice with one id for different text), so a version is parsed
 * once per process rather than on every show: a 1,000-resource template takes tens of
 * milliseconds to parse, most of a stack show, which the live page asks again after every
 * stack-level event. (The engine's definition cache holds what converging needs, not this.)
 */
import type { RawTemplateRecord } from "../engine/ports";
import { parseTemplate, type TemplateModel } from "../engine/template";

/** Versions kept, the most recently used last. */
const MAX_KEPT = 32;
const kept = new Map<string, TemplateModel | undefined>();

/** Treat as read-only: the same model is handed to every caller. */
export function storedTemplateModel(raw: RawTemplateRecord): TemplateModel | undefined {
  if (kept.has(raw.id)) {
    const model = kept.get(raw.id);
    kept.delete(raw.id);
    kept.set(raw.id, model);
    return model;
  }
  const model = parseTemplate(raw.template).template;
  kept.set(raw.id, model);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return model;
}
