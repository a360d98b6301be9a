/**
 * Every heat_template_version Heat accepts, and exactly which functions each one has.
 * A function a version lacks is plain data in that version; one it removed is an error.
 */

/** Implementations whose behaviour changed between versions are told apart by variant. */
export type FunctionVariant =
  | "get_attr:select" // 2013-05-23: extra path items go through Fn::Select
  | "get_attr:path" // 2014-10-16: path into the attribute
  | "get_attr:all" // 2015-10-15: path, and [resource] alone gives every attribute
  | "list_join:single" // one list
  | "list_join:multiple" // several lists; maps and lists are joined as JSON
  | "str_replace:strings" // params must be strings or numbers
  | "str_replace:json" // maps and lists are replaced as JSON
  | "repeat:lists"
  | "repeat:maps" // for_each values may be maps (their keys are used)
  | "repeat:nested" // ... and `permutations: false` zips instead of nesting
  | "if:strict" // three arguments
  | "if:nullable" // the false branch may be left out: the value then disappears
  | "plain";

export interface TemplateVersion {
  /** The dated name, what the spec lists. */
  date: string;
  /** The release name, if the version has one. */
  release?: string;
  functions: ReadonlyMap<string, FunctionVariant>;
  /** Functions allowed inside the conditions section (2016-10-14 and later). */
  conditionFunctions: ReadonlySet<string>;
  removed: ReadonlySet<string>;
  hasConditions: boolean;
}

const CFN_REMOVED = ["Fn::GetAZs", "Fn::Join", "Fn::Split", "Fn::Replace", "Fn::Base64", "Fn::MemberListToMap", "Fn::ResourceFacade", "Ref"];

interface Step {
  date: string;
  release?: string;
  add?: Record<string, FunctionVariant>;
  remove?: string[];
  conditionFunctions?: string[];
}

const STEPS: Step[] = [
  {
    date: "2013-05-23",
    add: {
      "Fn::GetAZs": "plain", get_param: "plain", get_resource: "plain", Ref: "plain", get_attr: "get_attr:select",
      "Fn::Select": "plain", "Fn::Join": "plain", list_join: "list_join:single", "Fn::Split": "plain",
      str_replace: "str_replace:strings", "Fn::Replace": "plain", "Fn::Base64": "plain", "Fn::MemberListToMap": "plain",
      resource_facade: "plain", "Fn::ResourceFacade": "plain", get_file: "plain",
    },
  },
  { date: "2014-10-16", add: { get_attr: "get_attr:path" }, remove: CFN_REMOVED },
  { date: "2015-04-30", add: { digest: "plain", repeat: "repeat:lists" } },
  {
    date: "2015-10-15",
    add: { get_attr: "get_attr:all", list_join: "list_join:multiple", str_replace: "str_replace:json", str_split: "plain" },
    remove: ["Fn::Select"],
  },
  { date: "2016-04-08", add: { map_merge: "plain", yaql: "plain" } },
  {
    date: "2016-10-14",
    release: "newton",
    add: { if: "if:strict", map_replace: "plain", repeat: "repeat:maps" },
    conditionFunctions: ["equals", "get_param", "not", "and", "or"],
  },
  { date: "2017-02-24", release: "ocata", add: { filter: "plain", str_replace_strict: "plain" } },
  {
    date: "2017-09-01",
    release: "pike",
    add: { contains: "plain", list_concat: "plain", list_concat_unique: "plain", make_url: "plain", str_replace_vstrict: "plain", repeat: "repeat:nested" },
    conditionFunctions: ["equals", "get_param", "not", "and", "or", "contains", "yaql"],
  },
  { date: "2018-03-02", release: "queens" },
  { date: "2018-08-31", release: "rocky" },
  { date: "2021-04-16", release: "wallaby", add: { if: "if:nullable" } },
];

function build(): Map<string, TemplateVersion> {
  const byName = new Map<string, TemplateVersion>();
  const functions = new Map<string, FunctionVariant>();
  const removed = new Set<string>();
  let conditionFunctions = new Set<string>();
  for (const step of STEPS) {
    for (const [name, variant] of Object.entries(step.add ?? {})) functions.set(name, variant);
    for (const name of step.remove ?? []) {
      functions.delete(name);
      removed.add(name);
    }
    if (step.conditionFunctions) conditionFunctions = new Set(step.conditionFunctions);
    const version: TemplateVersion = {
      date: step.date,
      release: step.release,
      functions: new Map(functions),
      conditionFunctions: new Set(conditionFunctions),
      removed: new Set(removed),
      hasConditions: conditionFunctions.size > 0,
    };
    byName.set(step.date, version);
    if (step.release) byName.set(step.release, version);
  }
  return byName;
}

const VERSIONS = build();

/** Accepted values of heat_template_version, dated ones first, as Heat lists them. */
export const acceptedVersions: readonly string[] = [
  ...STEPS.map((s) => s.date),
  ...STEPS.filter((s) => s.release).map((s) => s.release as string),
];

/** The newest heat_template_version: what a new template starts with. */
export const newestVersion: string = STEPS[STEPS.length - 1].date;

export const findVersion = (name: string): TemplateVersion | undefined => VERSIONS.get(name);

/** The first version that has `fn` as a function, if any version has it. */
export function introducedIn(fn: string): string | undefined {
  for (const step of STEPS) if (findVersion(step.date)?.functions.has(fn) || findVersion(step.date)?.conditionFunctions.has(fn)) return step.date;
  return undefined;
}

/** Every name that is a function (outside conditions) in some version: candidates for a "not in this version" warning. */
export const allFunctionNames: ReadonlySet<string> = new Set([...VERSIONS.values()].flatMap((v) => [...v.functions.keys()]));

/** Every name that is a condition function in some version. */
export const allConditionFunctionNames: ReadonlySet<string> = new Set([...VERSIONS.values()].flatMap((v) => [...v.conditionFunctions]));

export const sectionsOf = (v: TemplateVersion): string[] => [
  "heat_template_version", "description", "parameter_groups", "parameters", "resources", "outputs",
  ...(v.hasConditions ? ["conditions"] : []),
];

export const resourceKeysOf = (v: TemplateVersion): string[] => [
  "type", "properties", "metadata", "depends_on", "deletion_policy", "update_policy", "description",
  ...(v.hasConditions ? ["condition", "external_id"] : []),
];

export const outputKeysOf = (v: TemplateVersion): string[] => ["value", "description", ...(v.hasConditions ? ["condition"] : [])];
