/** Checks a typed property value against Heat's constraint shapes, as resourceTypes.show reports them. */

export type HeatConstraint = {
  description?: string;
  range?: { min?: number; max?: number };
  length?: { min?: number; max?: number };
  allowed_values?: unknown[];
  allowed_pattern?: string;
  modulo?: { step: number; offset?: number };
  custom_constraint?: string;
};

/** Problems with value (nothing when it satisfies every constraint); custom constraints are left to the server. */
export function constraintProblems(value: unknown, constraints: readonly HeatConstraint[] = []): string[] {
  if (value === undefined || value === null) return [];
  const out: string[] = [];
  for (const c of constraints) {
    const say = (fallback: string) => out.push(c.description ?? fallback);
    if (c.range && typeof value === "number") {
      const { min, max } = c.range;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) say(min !== undefined && max !== undefined ? `must be between ${min} and ${max}` : min !== undefined ? `must be at least ${min}` : `must be at most ${max}`);
    }
    if (c.length) {
      const len = typeof value === "string" || Array.isArray(value) ? value.length : typeof value === "object" ? Object.keys(value as object).length : undefined;
      const { min, max } = c.length;
      if (len !== undefined && ((min !== undefined && len < min) || (max !== undefined && len > max)))
        say(min !== undefined && max !== undefined ? `length must be between ${min} and ${max}` : min !== undefined ? `length must be at least ${min}` : `length must be at most ${max}`);
    }
    if (c.allowed_values && !c.allowed_values.some((v) => v === value || String(v) === String(value))) say(`must be one of ${c.allowed_values.map(String).join(", ")}`);
    if (c.allowed_pattern && typeof value === "string") {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^(?:${c.allowed_pattern})$`);
      } catch {
        re = undefined;
      }
      if (re && !re.test(value)) say(`must match ${c.allowed_pattern}`);
    }
    if (c.modulo && typeof value === "number" && c.modulo.step) {
      if ((value - (c.modulo.offset ?? 0)) % c.modulo.step !== 0) say(`must be a multiple of ${c.modulo.step}${c.modulo.offset ? ` plus ${c.modulo.offset}` : ""}`);
    }
  }
  return out;
}

/** The value a form field's text stands for, by the property's type; undefined for an empty field, an Error for bad input. */
export function parseFieldValue(type: string, text: string): unknown {
  if (text === "") return undefined;
  if (type === "integer") return /^-?\d+$/.test(text.trim()) ? Number(text) : new Error("a whole number expected");
  if (type === "number") return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : new Error("a number expected");
  if (type === "boolean") return text === "true";
  return text;
}
