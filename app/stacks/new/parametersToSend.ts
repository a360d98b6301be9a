import { initialValue, toParameterValue, type ParameterSchema } from "./ParameterField";

export type ParameterValues = Record<string, string | boolean>;

/**
 * The parameters a form sends: what its fields show. A field the user has not touched shows
 * the value it started with (the default, or the environment's parameter_defaults where the
 * designer has them) and sends that; an emptied field sends nothing, leaving the parameter to
 * the server's default or its error.
 */
export function parametersToSend(schema: ParameterSchema[], values: ParameterValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of schema) {
    const v = toParameterValue(p, values[p.name] ?? initialValue(p));
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}
