import { toParameterValue, type ParameterSchema } from "./ParameterField";

export type ParameterValues = Record<string, string | boolean>;

/**
 * The parameters a form sends: what the user set. A field left as it started is not sent, so
 * the stack takes its default, or from the environment's parameter_defaults, or (an update
 * keeping the stack's parameters) the value it has; the one exception is a boolean without a
 * default, whose unticked box says false and must send it.
 */
export function parametersToSend(schema: ParameterSchema[], values: ParameterValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of schema) {
    const given = values[p.name] ?? (p.type === "boolean" && p.default === undefined ? false : undefined);
    const v = toParameterValue(p, given);
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}
