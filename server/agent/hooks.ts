/**
 * How a deployment is applied, by its config's `group`, as heat-agents' 55-heat-config and its
 * hooks do it:
 *  - `script`: the config is written to an executable file and run with each input as an
 *    environment variable; each declared output is read from `$heat_outputs_path.<name>`;
 *  - `json-file`: each key of the config is a file path, written with its value as JSON;
 *  - `component`: the config whose `actions` hold `deploy_action` is applied with its `tool`;
 *  - any other group: the executable `<hooks dir>/<group>` gets the entry as JSON on stdin
 *    and answers the signal body as JSON on stdout (the heat-agents hook protocol), so
 *    heat-agents' hooks (ansible, puppet, …) drop in.
 * A run is described here and executed by detachedRun; what it printed and left behind is
 * turned into heat-config-notify's JSON by `collect`.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "./detachedRun";
import type { DeploymentState } from "./deploymentState";
import type { Stream } from "./liveLog";

/** One entry of the metadata's `deployments` list (Heat's format). */
export interface DeploymentEntry {
  id: string;
  name?: string;
  group?: string;
  config?: unknown;
  options?: unknown;
  inputs?: { name: string; value?: unknown; type?: string }[];
  outputs?: { name: string; error_output?: boolean }[];
}

export type SignalBody = Record<string, unknown>;

export type Plan =
  /** Runs detached; `collect` turns its exit code and files into the signal body. */
  | { kind: "run"; command: Command; liveStreams: Stream[]; collect: (exitCode: number) => SignalBody }
  /** Done in the agent itself (quick and idempotent). */
  | { kind: "inline"; apply: () => SignalBody }
  /** Nothing to do and nothing to signal (Heat's hooks skip it too). */
  | { kind: "skip"; why: string };

export interface HookPlaces {
  /** The agent's state directory: scripts and their outputs live under it. */
  stateDir: string;
  /** Where executable hooks are looked for, in order. */
  hooksDirs: string[];
  /** The environment runs start from. */
  env: Record<string, string | undefined>;
}

/** The inputs as a name → value map (later names win, as in heat-agents). */
export function inputValues(entry: DeploymentEntry): Record<string, unknown> {
  return Object.fromEntries((entry.inputs ?? []).map((i) => [i.name, i.value]));
}

export function planDeployment(original: DeploymentEntry, state: DeploymentState, places: HookPlaces): Plan {
  const entry = normaliseInputs(original);
  let group = entry.group ?? "Heat::Ungrouped";
  if (group === "component") {
    const action = inputValues(entry).deploy_action;
    const configs = (entry.config as { configs?: { actions?: unknown; config?: unknown; tool?: unknown }[] } | undefined)?.configs ?? [];
    const chosen = configs.find((c) => Array.isArray(c.actions) && c.actions.includes(action));
    if (!chosen) return { kind: "skip", why: `no config of this component is for action ${String(action)}` };
    entry.config = chosen.config;
    group = String(chosen.tool);
  }
  // An executable hook of that name wins, so a site can replace a built-in one.
  const hook = findHook(group, places.hooksDirs);
  if (hook) return executableHook(hook, entry, state, places);
  if (group === "script") return scriptHook(entry, state, places);
  if (group === "json-file") return { kind: "inline", apply: () => jsonFileHook(entry) };
  return {
    kind: "inline",
    apply: () => failure(`No hook for group "${group}": put an executable named ${hookName(group)} in ${places.hooksDirs.length ? places.hooksDirs.join(" or ") : "a --hooks-dir"}`),
  };
}

/** 55-heat-config turns String inputs that are not strings into strings (bug 1333992). */
function normaliseInputs(entry: DeploymentEntry): DeploymentEntry {
  const inputs = (entry.inputs ?? []).map((i) => (i.type === "String" && typeof i.value !== "string" ? { ...i, value: pythonStr(i.value) } : i));
  return { ...entry, inputs };
}

function scriptHook(entry: DeploymentEntry, state: DeploymentState, places: HookPlaces): Plan {
  const working = path.join(places.stateDir, "work");
  const outputsDir = path.join(places.stateDir, "outputs");
  for (const d of [working, outputsDir]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const script = path.join(working, path.basename(state.dir));
  const outputsPath = path.join(outputsDir, path.basename(state.dir));
  // Written once: a plan made again for a run an earlier agent started must not touch it.
  if (!fs.existsSync(script)) fs.writeFileSync(script, typeof entry.config === "string" ? entry.config : "", { mode: 0o700 });
  const env: Record<string, string> = { ...definedOnly(places.env) };
  for (const input of entry.inputs ?? []) env[input.name] = envValue(input.value);
  env.heat_outputs_path = outputsPath;
  return {
    kind: "run",
    command: { argv: [script], cwd: working, env, stdin: "/dev/null" },
    liveStreams: ["stdout", "stderr"],
    collect: (exitCode) => {
      const body: SignalBody = {};
      for (const output of entry.outputs ?? []) {
        try {
          body[output.name] = fs.readFileSync(`${outputsPath}.${output.name}`, "utf8");
        } catch {
          // an output the script did not write is absent, as in heat-agents
        }
      }
      return { ...body, deploy_stdout: state.readOutput("stdout"), deploy_stderr: state.readOutput("stderr"), deploy_status_code: exitCode };
    },
  };
}

function jsonFileHook(entry: DeploymentEntry): SignalBody {
  try {
    const files = (entry.config ?? {}) as Record<string, unknown>;
    if (typeof files !== "object" || Array.isArray(files)) throw new Error("the config of a json-file deployment must be a map of file paths to values");
    for (const [file, data] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, pythonJsonDump(data));
    }
    return { deploy_stdout: "", deploy_stderr: "", deploy_status_code: 0 };
  } catch (e) {
    return failure(`json-file: ${(e as Error).message}`);
  }
}

function executableHook(hook: string, entry: DeploymentEntry, state: DeploymentState, places: HookPlaces): Plan {
  // heat-agents' script hook keeps its files where these say; under the state directory it
  // needs no root.
  const env: Record<string, string> = {
    ...definedOnly(places.env),
    HEAT_SCRIPT_WORKING: places.env.HEAT_SCRIPT_WORKING ?? path.join(places.stateDir, "work"),
    HEAT_SCRIPT_OUTPUTS: places.env.HEAT_SCRIPT_OUTPUTS ?? path.join(places.stateDir, "outputs"),
  };
  const stdin = state.file("hook-input.json");
  if (!fs.existsSync(stdin)) fs.writeFileSync(stdin, JSON.stringify(entry), { mode: 0o600 });
  return {
    kind: "run",
    command: { argv: [hook], cwd: state.dir, env, stdin },
    // Its stdout is the JSON answer; its stderr is what it has to say meanwhile.
    liveStreams: ["stderr"],
    collect: (exitCode) => {
      const stdout = state.readOutput("stdout");
      const stderr = state.readOutput("stderr");
      const raw = { deploy_stdout: stdout, deploy_stderr: stderr, deploy_status_code: exitCode };
      // As 55-heat-config: the hook's JSON answer is the signal whatever its exit code; no
      // answer at all signals nothing but an empty body when it succeeded.
      if (!stdout) return exitCode ? raw : {};
      try {
        const parsed = JSON.parse(stdout) as unknown;
        return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as SignalBody) : raw;
      } catch {
        return raw;
      }
    },
  };
}

function failure(message: string): SignalBody {
  return { deploy_stdout: "", deploy_stderr: message, deploy_status_code: 1 };
}

/** Only letters, digits, - and _ make a hook's file name (as 55-heat-config sanitises it). */
function hookName(group: string): string {
  return [...group].filter((c) => c === "-" || c === "_" || /[\p{L}\p{N}]/u.test(c)).join("");
}

function findHook(group: string, dirs: string[]): string | undefined {
  const name = hookName(group);
  if (!name) return undefined;
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** As the script hook: maps and lists as JSON, everything else as its text. */
function envValue(value: unknown): string {
  if (value === undefined || value === null) return value === null ? "None" : "";
  if (typeof value === "object") return JSON.stringify(value);
  return pythonStr(value);
}

/** Python's str() of a JSON scalar, which is what heat-agents passes on. */
function pythonStr(value: unknown): string {
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** json.dump(data, indent=4, sort_keys=True, separators=(',', ': ')), as the json-file hook writes. */
export function pythonJsonDump(data: unknown): string {
  return JSON.stringify(sortKeys(data), null, 4).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
