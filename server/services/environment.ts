/** A stack's environment documents, read as Heat reads them. */
import { parseSource } from "../engine/template/source";

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The environment documents a stack was given, merged section by section as Heat shows its environment. */
export function mergedEnvironment(docs: string[]) {
  const env: Record<string, unknown> = { parameters: {}, parameter_defaults: {}, resource_registry: { resources: {} }, encrypted_param_names: [], event_sinks: [], parameter_merge_strategies: {} };
  for (const doc of docs) {
    const parsed = parseSource(doc).value;
    if (!isMap(parsed)) continue;
    for (const [section, value] of Object.entries(parsed)) {
      const before = env[section];
      env[section] = isMap(before) && isMap(value) ? { ...before, ...value } : value;
    }
  }
  return env;
}
