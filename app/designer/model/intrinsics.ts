/** The intrinsic functions the Inspector offers as pickers, read from and written as plain values. */

export type Intrinsic = { fn: "get_param"; parameter: string } | { fn: "get_resource"; resource: string } | { fn: "get_attr"; resource: string; attribute: string };

export type IntrinsicName = Intrinsic["fn"];
export const INTRINSICS: readonly IntrinsicName[] = ["get_param", "get_resource", "get_attr"];

const isString = (v: unknown): v is string => typeof v === "string";

/** The picker form of value, or undefined when it is not a function a picker can show (nested paths, other functions). */
export function readIntrinsic(value: unknown): Intrinsic | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [fn, arg] = entries[0];
  if (fn === "get_param" && isString(arg)) return { fn, parameter: arg };
  if (fn === "get_resource" && isString(arg)) return { fn, resource: arg };
  if (fn === "get_attr" && Array.isArray(arg) && arg.length === 2 && arg.every(isString)) return { fn, resource: arg[0], attribute: arg[1] };
  return undefined;
}

/** The plain value to write for a picked function. */
export function intrinsicValue(i: Intrinsic): Record<string, unknown> {
  if (i.fn === "get_param") return { get_param: i.parameter };
  if (i.fn === "get_resource") return { get_resource: i.resource };
  return { get_attr: [i.resource, i.attribute] };
}
