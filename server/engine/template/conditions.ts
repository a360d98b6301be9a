import { error, type Diagnostic } from "../diagnostics";
import { isUnresolved } from "../unresolved";
import { FunctionError, resolveValue, type Evaluation, type Scope } from "./evaluate";
import { joinPath } from "./positions";
import { heatString } from "./values";

/**
 * Resolves the conditions section on demand, each condition once, so that `not`/`and`/`or`
 * may name other conditions; a cycle is an error rather than a hang.
 */
export function conditionResolver(conditions: Record<string, unknown>, diagnostics: Diagnostic[]) {
  const results = new Map<string, boolean>();
  const inProgress = new Set<string>();
  let scope: Scope;

  const resolve = (name: string): boolean => {
    const done = results.get(name);
    if (done !== undefined) return done;
    if (!(name in conditions)) throw new FunctionError(`Invalid condition "${name}": there is no such condition`);
    if (inProgress.has(name)) throw new FunctionError(`Circular definition for condition "${name}"`);
    inProgress.add(name);
    const path = joinPath("conditions", name);
    const ev: Evaluation = { scope, owner: path, refs: [], diagnostics, inConditions: true };
    let value: unknown;
    try {
      value = resolveValue(conditions[name], path, ev);
    } finally {
      inProgress.delete(name);
    }
    let result = false;
    if (typeof value === "boolean") result = value;
    else if (!isUnresolved(value)) diagnostics.push(error(path, `The definition of condition "${name}" is invalid: ${heatString(value)} (a condition must resolve to true or false)`));
    results.set(name, result);
    return result;
  };

  return {
    /** Binds the scope (which itself refers back to `resolve`). */
    bind(s: Scope) {
      scope = s;
    },
    resolve,
    /** Resolves every condition, reporting each problem once; returns name → result. */
    resolveAll(): Record<string, boolean> {
      for (const name of Object.keys(conditions)) {
        try {
          resolve(name);
        } catch (e) {
          if (!(e instanceof FunctionError)) throw e;
          diagnostics.push(error(joinPath("conditions", name), e.message));
          results.set(name, false);
        }
      }
      return Object.fromEntries(results);
    },
  };
}
