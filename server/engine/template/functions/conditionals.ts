import { FunctionError, REMOVED, type Call, type FunctionSpec } from "../evaluate";
import { deepEqual, heatString } from "../values";

/** A condition argument: a boolean, the name of a condition, or an expression already resolved to a boolean. */
export function conditionValue(value: unknown, c: Call, at?: string | number): boolean {
  const v = c.known(value);
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return c.ev.scope.condition(v);
  throw new FunctionError(`a condition must be a boolean, a condition name or a condition function, not ${heatString(v)}`, at);
}

const equals: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be of the form [value_1, value_2]`);
    return deepEqual(c.knownDeep(args[0]), c.knownDeep(args[1]));
  },
};

const not: FunctionSpec = {
  run(args, c) {
    if (Array.isArray(args)) throw new FunctionError(`the argument must be one condition, not a list`);
    return !conditionValue(args, c);
  },
};

const junction = (kind: "and" | "or"): FunctionSpec => ({
  run(args, c) {
    if (!Array.isArray(args)) throw new FunctionError(`arguments must be a list of conditions`);
    if (args.length < 2) throw new FunctionError(`the minimum number of condition arguments to "${kind}" is 2`);
    const values = args.map((a, i) => conditionValue(a, c, i));
    return kind === "and" ? values.every(Boolean) : values.some(Boolean);
  },
});

const ifFunction: FunctionSpec = {
  lazy: true,
  run(args, c) {
    const nullable = c.variant === "if:nullable";
    if (!Array.isArray(args) || args.length > 3 || args.length < (nullable ? 2 : 3)) {
      throw new FunctionError(`arguments must be of the form [condition, value_if_true${nullable ? ", (value_if_false)" : ", value_if_false"}]`);
    }
    const condition = c.ev.inConditions ? c.evaluate(args[0], 0) : evaluateCondition(args[0], c);
    const chosen = conditionValue(condition, c, 0);
    if (chosen) return c.evaluate(args[1], 1);
    return args.length === 3 ? c.evaluate(args[2], 2) : REMOVED;
  },
};

/** `if`'s first argument may be an inline condition expression, resolved with the condition functions. */
function evaluateCondition(raw: unknown, c: Call): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const previous = c.ev.inConditions;
  c.ev.inConditions = true;
  try {
    return c.evaluate(raw, 0);
  } finally {
    c.ev.inConditions = previous;
  }
}

export const conditionalFunctions: Record<string, FunctionSpec> = {
  equals,
  not,
  and: junction("and"),
  or: junction("or"),
  if: ifFunction,
};
