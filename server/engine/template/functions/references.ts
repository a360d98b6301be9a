import { Unresolved } from "../../unresolved";
import { FunctionError, type Call, type FunctionSpec } from "../evaluate";
import { walkPath } from "../values";
import { select } from "./collections";

/** A path's components (after the name, from argument `first` on): each a string or an integer. */
function pathKeys(raw: unknown[], c: Call, first: number): (string | number)[] {
  return raw.map((r, i) => {
    const key = c.known(r);
    if (typeof key !== "string" && typeof key !== "number") throw new FunctionError(`path components must be strings or integers`, first + i);
    return key;
  });
}

const getParam: FunctionSpec = {
  run(args, c) {
    let name: unknown;
    let path: unknown[] = [];
    if (typeof args === "string") name = args;
    else if (Array.isArray(args)) {
      if (args.length === 0) throw new FunctionError(`must have arguments: a parameter name, then an optional path`);
      [name, ...path] = args;
    } else throw new FunctionError(`the argument must be a parameter name or a list [name, path...]`);
    name = c.known(name);
    if (typeof name !== "string") throw new FunctionError(`the parameter name must be a string`);
    const { parameters } = c.ev.scope;
    if (!parameters.has(name)) throw new FunctionError(`the parameter "${name}" is not defined in the template`);
    return walkPath(c.knownDeep(parameters.get(name)), pathKeys(path, c, 1), "", (key, i) => {
      throw new FunctionError(`path component ${key} must be an integer to index a list`, i + 1);
    });
  },
};

function checkTarget(name: unknown, c: Call): string {
  const target = c.known(name);
  if (typeof target !== "string") throw new FunctionError(`the resource name must be a string`);
  const enabled = c.ev.scope.resources.get(target);
  if (enabled === undefined) throw new FunctionError(`the specified reference "${target}" (in ${c.ev.owner}) is incorrect: there is no such resource`);
  if (!enabled) throw new FunctionError(`the specified reference "${target}" (in ${c.ev.owner}) is to a resource whose condition is false`);
  return target;
}

function resourceId(target: string, c: Call): unknown {
  c.ev.refs.push({ target, path: c.path });
  const { deployed } = c.ev.scope;
  return deployed ? deployed.resourceId(target) : new Unresolved(`get_resource ${target}`);
}

const getResource: FunctionSpec = { run: (args, c) => resourceId(checkTarget(args, c), c) };

const getAttr: FunctionSpec = {
  run(args, c) {
    const all = c.variant === "get_attr:all";
    const form = `arguments must be [resource_name, attribute, (path), ...]${all ? " or [resource_name]" : ""}`;
    if (!Array.isArray(args) || args.length < (all ? 1 : 2)) throw new FunctionError(form);
    const target = checkTarget(args[0], c);
    if (args.length === 1) {
      c.ev.refs.push({ target, attribute: "*", path: c.path });
      const { deployed } = c.ev.scope;
      return deployed ? deployed.allAttributes(target) : new Unresolved(`get_attr ${target}`);
    }
    const attribute = c.known(args[1]);
    if (typeof attribute !== "string") throw new FunctionError(`the attribute name must be a string`, 1);
    c.ev.refs.push({ target, attribute, ...(typeof args[2] === "string" ? { key: args[2] } : {}), path: c.path });
    const { deployed } = c.ev.scope;
    if (!deployed) return new Unresolved(`get_attr ${target} ${attribute}`);
    // 2013-05-23 has no attribute paths: what follows the name goes through Fn::Select.
    if (c.variant === "get_attr:select") return args.slice(2).reduce((v, key) => select(c.known(key), c.known(v)), deployed.attribute(target, attribute, []));
    return deployed.attribute(target, attribute, pathKeys(args.slice(2), c, 2));
  },
};

const getFile: FunctionSpec = {
  run(args, c) {
    const name = c.known(args);
    if (typeof name !== "string") throw new FunctionError(`the argument must be a file name`);
    const { files } = c.ev.scope;
    if (!Object.prototype.hasOwnProperty.call(files, name)) throw new FunctionError(`no content found in the "files" section for get_file path: ${name}`);
    return files[name];
  },
};

const FACADE = { metadata: "metadata", deletion_policy: "deletion_policy", update_policy: "update_policy" } as const;
const CFN_FACADE = { Metadata: "metadata", DeletionPolicy: "deletion_policy", UpdatePolicy: "update_policy" } as const;

const facade = (names: Record<string, keyof typeof FACADE>): FunctionSpec => ({
  run(args, c) {
    const which = c.known(args);
    if (typeof which !== "string" || !(which in names)) throw new FunctionError(`the argument must be one of: ${Object.keys(names).join(", ")}`);
    const { facade: f, deployed } = c.ev.scope;
    if (f) return f[names[which]] ?? (names[which] === "deletion_policy" ? "Delete" : {});
    if (deployed) throw new FunctionError(`resource_facade is only available in a stack nested in a parent resource`);
    return new Unresolved(`resource_facade ${which}`);
  },
});

const PSEUDO = new Set(["OS::stack_name", "OS::stack_id", "OS::project_id"]);

const ref: FunctionSpec = {
  run(args, c) {
    const name = c.known(args);
    if (typeof name !== "string") throw new FunctionError(`the argument must be a parameter or resource name`);
    const { parameters, resources } = c.ev.scope;
    if (parameters.has(name) || PSEUDO.has(name)) return parameters.get(name);
    if (resources.has(name)) return resourceId(checkTarget(name, c), c);
    throw new FunctionError(`the specified reference "${name}" (in ${c.ev.owner}) is incorrect: no such parameter or resource`);
  },
};

const getAZs: FunctionSpec = { run: (_args, c) => [...c.ev.scope.availabilityZones] };

const yaql: FunctionSpec = {
  lazy: true,
  run() {
    throw new FunctionError(`yaql expressions are not supported yet in Kiln`);
  },
};

export const referenceFunctions: Record<string, FunctionSpec> = {
  get_param: getParam,
  get_resource: getResource,
  get_attr: getAttr,
  get_file: getFile,
  resource_facade: facade(FACADE),
  "Fn::ResourceFacade": facade(CFN_FACADE),
  Ref: ref,
  "Fn::GetAZs": getAZs,
  yaql,
};
