import { inputLimits, jsonSize } from "../../limits";
import { FunctionError, type Call, type FunctionSpec } from "../evaluate";
import { asIndex, canonicalJson, deepEqual, heatString, isMapping, typeName } from "../values";
import { lengthAfterReplacing } from "./strings";

/** Refuses, before they are put together, parts whose sizes add up to more than the value limit. */
function partsFit(parts: unknown[], c: Call): void {
  const cap = inputLimits().maxValueBytes;
  let total = 0;
  for (const part of parts) {
    total += jsonSize(part, cap);
    if (total > cap) c.fits(total, false);
  }
}

function listsOf(args: unknown, c: Call): unknown[][] {
  if (!Array.isArray(args)) throw new FunctionError(`the argument must be a list of lists`);
  const lists: unknown[][] = [];
  args.forEach((raw, i) => {
    const list = c.known(raw);
    if (list === null) return;
    if (!Array.isArray(list)) throw new FunctionError(`items to concatenate must be lists; item ${i} is ${typeName(list)}`, i);
    lists.push(list);
  });
  return lists;
}

const concatenated = (args: unknown, c: Call): unknown[] => {
  const lists = listsOf(args, c);
  partsFit(lists, c);
  return lists.flat();
};

const listConcat: FunctionSpec = { run: concatenated };

// Keyed by canonical JSON: linear, where comparing each item with every kept one was quadratic.
const listConcatUnique: FunctionSpec = {
  run(args, c) {
    const unique = new Map<string, unknown>();
    for (const item of concatenated(args, c)) {
      const key = canonicalJson(c.knownDeep(item));
      if (!unique.has(key)) unique.set(key, item);
    }
    return [...unique.values()];
  },
};

const mapMerge: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args)) throw new FunctionError(`the argument must be a list of maps`);
    const maps: Record<string, unknown>[] = [];
    args.forEach((raw, i) => {
      const m = c.known(raw);
      if (m === null) return;
      if (!isMapping(m)) throw new FunctionError(`items to merge must be maps; item ${i} is ${typeName(m)}`, i);
      maps.push(m);
    });
    partsFit(maps, c);
    return Object.assign({}, ...maps) as Record<string, unknown>;
  },
};

const MAP_REPLACE_FORM = `arguments must be [{"key1": "val1"}, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]`;
const mapReplace: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(MAP_REPLACE_FORM);
    const input = c.known(args[0]);
    const spec = c.known(args[1]);
    if (!isMapping(input)) throw new FunctionError(`the first argument must be a map`, 0);
    if (!isMapping(spec) || Object.keys(spec).some((k) => k !== "keys" && k !== "values")) throw new FunctionError(MAP_REPLACE_FORM, 1);
    const keys = c.known(spec.keys ?? {});
    const values = c.known(spec.values ?? {});
    if (!isMapping(keys)) throw new FunctionError(`"keys" must be a map`, "1.keys");
    if (!isMapping(values)) throw new FunctionError(`"values" must be a map`, "1.values");
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      let key = k;
      if (k in keys) {
        const replacement: unknown = c.known(keys[k]);
        if (typeof replacement !== "string") throw new FunctionError(`key replacement for ${k} must be a string`, "1.keys");
        if (replacement in input && !(replacement in keys)) throw new FunctionError(`key replacement ${replacement} collides with a key in the input map`, "1.keys");
        key = replacement;
      }
      if (key in out) throw new FunctionError(`key replacement ${key} collides with a key in the output map`, "1.keys");
      const value = c.known(v);
      out[key] = typeof value === "string" && value in values ? values[value] : value;
    }
    return out;
  },
};

const REPEAT_FORM = `arguments must be {template: ..., for_each: {placeholder: [values]}}`;

function substitute(template: unknown, replacements: [string, string][], c: Call): unknown {
  if (typeof template === "string") {
    return replacements.reduce((s, [k, v]) => {
      c.fits(lengthAfterReplacing(s, k, v.length));
      return s.split(k).join(v);
    }, template);
  }
  if (Array.isArray(template)) return template.map((t) => substitute(t, replacements, c));
  if (isMapping(template)) {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [substitute(k, replacements, c) as string, substitute(v, replacements, c)]));
  }
  return template;
}

const repeat: FunctionSpec = {
  run(args, c) {
    const allowed = c.variant === "repeat:nested" ? ["template", "for_each", "permutations"] : ["template", "for_each"];
    if (!isMapping(args) || !("template" in args) || !("for_each" in args) || Object.keys(args).some((k) => !allowed.includes(k))) {
      throw new FunctionError(REPEAT_FORM + (c.variant === "repeat:nested" ? ", with optional permutations: true|false" : ""));
    }
    const forEach = c.known(args.for_each);
    if (!isMapping(forEach)) throw new FunctionError(`"for_each" must be a map`, "for_each");
    const permutations = c.known(args.permutations ?? true);
    if (typeof permutations !== "boolean") throw new FunctionError(`"permutations" must be a boolean`, "permutations");
    const loops: [string, string[]][] = Object.entries(forEach).map(([placeholder, raw]) => {
      const values = c.known(raw);
      let list: unknown[];
      if (Array.isArray(values)) list = values;
      else if (isMapping(values) && c.variant !== "repeat:lists") list = Object.keys(values);
      else throw new FunctionError(`the values of "for_each" must be lists${c.variant !== "repeat:lists" ? " or maps" : ""}`, `for_each.${placeholder}`);
      // Heat fails on non-string values here; Kiln writes numbers and booleans as text.
      return [placeholder, list.map((v) => heatString(c.knownDeep(v)))];
    });
    const template = c.knownDeep(args.template);
    // Each copy is at least the template's size: refuse before copying when the copies cannot fit.
    const copies = permutations ? loops.reduce((n, [, l]) => n * l.length, 1) : (loops[0]?.[1].length ?? 0);
    c.fits(copies * jsonSize(template, inputLimits().maxValueBytes));
    if (!permutations) {
      const lengths = new Set(loops.map(([, l]) => l.length));
      if (lengths.size > 1) throw new FunctionError(`with permutations: false, every for_each list must have the same length`, "for_each");
      return Array.from({ length: copies }, (_, i) => substitute(template, loops.map(([k, l]) => [k, l[i]]), c));
    }
    let combos: [string, string][][] = [[]];
    for (const [k, list] of loops) combos = combos.flatMap((combo) => list.map((v) => [...combo, [k, v] as [string, string]]));
    return combos.map((combo) => substitute(template, combo, c));
  },
};

const filter: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [values_to_remove, list]`);
    const remove = c.knownDeep(args[0]);
    const list = c.known(args[1]);
    if (!Array.isArray(remove)) throw new FunctionError(`the values to remove must be a list`, 0);
    if (list === null) return null;
    if (!Array.isArray(list)) throw new FunctionError(`the value to filter must be a list`, 1);
    const removed = new Set(remove.map(canonicalJson));
    return list.filter((item) => !removed.has(canonicalJson(c.knownDeep(item))));
  },
};

const contains: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [value, sequence]`);
    const value = c.knownDeep(args[0]);
    const seq = c.knownDeep(args[1]);
    if (typeof seq === "string") return typeof value === "string" && seq.includes(value);
    if (!Array.isArray(seq)) throw new FunctionError(`the second argument must be a sequence (a list or a string)`, 1);
    return seq.some((item) => deepEqual(item, value));
  },
};

/** Fn::Select, also the way 2013-05-23's get_attr walks its path. */
export function select(index: unknown, collection: unknown): unknown {
  if (collection === null || collection === undefined) return "";
  if (Array.isArray(collection)) {
    const i = asIndex(index);
    if (i === undefined) throw new FunctionError(`index to select from a list must be an integer, not ${heatString(index)}`, 0);
    // Python indexing: a negative index counts from the end.
    const at = i < 0 ? collection.length + i : i;
    return at >= 0 && at < collection.length ? collection[at] : "";
  }
  if (isMapping(collection)) {
    if (typeof index !== "string") throw new FunctionError(`index to select from a map must be a string`, 0);
    return index in collection ? collection[index] : "";
  }
  throw new FunctionError(`can only select from a list or a map, not ${typeName(collection)}`, 1);
}

const fnSelect: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [index, collection]`);
    return select(c.known(args[0]), c.known(args[1]));
  },
};

const memberListToMap: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 3) throw new FunctionError(`arguments must be [key_name, value_name, [".member.0.key=value", ...]]`);
    const [keyName, valueName, members] = args.map((a) => c.knownDeep(a));
    if (typeof keyName !== "string" || typeof valueName !== "string" || !Array.isArray(members)) {
      throw new FunctionError(`arguments must be [key_name, value_name, [".member.0.key=value", ...]]`);
    }
    const entries = new Map<string, Record<string, string>>();
    for (const m of members) {
      const match = typeof m === "string" ? /^\.member\.(\d+)\.([^=]+)=(.*)$/s.exec(m) : null;
      if (!match) throw new FunctionError(`member entries must look like ".member.N.name=value", not ${heatString(m)}`, 2);
      const slot = entries.get(match[1]) ?? {};
      slot[match[2]] = match[3];
      entries.set(match[1], slot);
    }
    const out: Record<string, string> = {};
    for (const slot of entries.values()) if (keyName in slot && valueName in slot) out[slot[keyName]] = slot[valueName];
    return out;
  },
};

export const collectionFunctions: Record<string, FunctionSpec> = {
  list_concat: listConcat,
  list_concat_unique: listConcatUnique,
  map_merge: mapMerge,
  map_replace: mapReplace,
  repeat,
  filter,
  contains,
  "Fn::Select": fnSelect,
  "Fn::MemberListToMap": memberListToMap,
};
