/**
 * What a deployment hands its server for one action: a config derived from the source config,
 * with the input values filled in and the deploy_* inputs added (Heat's
 * SoftwareDeployment._build_derived_config_params, read for behaviour). A new config, with a
 * new id, for every action run: heat-config skips an id it has applied once.
 */
import type { SoftwareConfigRecord } from "../../ports";
import { ResourceFailure } from "../plugin";

export type SignalTransport = "CFN_SIGNAL" | "TEMP_URL_SIGNAL" | "HEAT_SIGNAL" | "ZAQAR_SIGNAL" | "NO_SIGNAL";

/** Heat's stored shape of a declared input or output: `type` filled in, `replace_on_change` only when set. */
export function ioConfig(io: Record<string, unknown>, kind: "input" | "output"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(io)) if (v !== undefined && v !== null) out[k] = v;
  out.type ??= "String";
  if (kind === "input" && !out.replace_on_change) delete out.replace_on_change;
  if (kind === "output") out.error_output ??= false;
  return out;
}

/** The stored body of a config as a SoftwareConfig's properties give it. */
export function configBody(props: Record<string, unknown>, config: unknown): SoftwareConfigRecord["config"] {
  return {
    config,
    inputs: ((props.inputs as Record<string, unknown>[] | undefined) ?? []).map((i) => ioConfig(i, "input")),
    outputs: ((props.outputs as Record<string, unknown>[] | undefined) ?? []).map((o) => ioConfig(o, "output")),
    options: props.options ?? null,
  };
}

export interface DeploymentFacts {
  action: string;
  serverId: string;
  stackName: string;
  stackId: string;
  resourceName: string;
  transport: SignalTransport;
  /** The deployment's own signal URL (CFN_SIGNAL and TEMP_URL_SIGNAL). */
  signalUrl: string;
  inputValues: Record<string, unknown>;
}

/** The derived inputs in Heat's order: declared ones, undeclared values, then deploy_*. */
export function derivedInputs(source: SoftwareConfigRecord["config"], facts: DeploymentFacts): Record<string, unknown>[] {
  const values = { ...facts.inputValues };
  const inputs: Record<string, unknown>[] = [];
  for (const declared of source.inputs) {
    const name = String(declared.name);
    const value = name in values ? values[name] : (declared.default ?? null);
    delete values[name];
    inputs.push({ ...ioConfig(declared, "input"), value });
  }
  for (const [name, value] of Object.entries(values)) inputs.push({ name, type: "String", value });
  const deploy = (name: string, value: unknown, description: string) => inputs.push({ name, description, type: "String", value });
  deploy("deploy_server_id", facts.serverId, "The id of the server the config is deployed to");
  deploy("deploy_action", facts.action, "The action of the deployment resource that runs this config");
  deploy("deploy_stack_id", `${encodeURIComponent(facts.stackName)}/${encodeURIComponent(facts.stackId)}`, "The stack of the deployment resource, as name/id");
  deploy("deploy_resource_name", facts.resourceName, "The name of the deployment resource in its stack");
  deploy("deploy_signal_transport", facts.transport, "How the server reports the outputs back");
  if (facts.transport === "CFN_SIGNAL" || facts.transport === "TEMP_URL_SIGNAL") {
    deploy("deploy_signal_id", facts.signalUrl, "The URL the outputs are sent to");
    deploy("deploy_signal_verb", facts.transport === "CFN_SIGNAL" ? "POST" : "PUT", "The HTTP method that sends the outputs");
  }
  return inputs;
}

/**
 * get_input substitution in a structured config: a map whose only key is `inputKey` with a
 * string argument becomes that input's value (null, or with STRICT a failure, when it has none).
 */
export function substituteInputs(snippet: unknown, inputs: Record<string, unknown>, inputKey: string, strict: boolean): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const entries = Object.entries(v);
      if (entries.length === 1 && entries[0]![0] === inputKey && typeof entries[0]![1] === "string") {
        const name = entries[0]![1];
        if (strict && !(name in inputs)) throw new ResourceFailure(`The Parameter (${name}) was not provided.`, "UserParameterMissing");
        return inputs[name] ?? null;
      }
      return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(snippet);
}

/** Heat's metadata entry for one deployment: its derived config, formatted as the config API shows it. */
export function metadataEntry(c: SoftwareConfigRecord) {
  return {
    id: c.id,
    name: c.name,
    group: c.group,
    creation_time: c.createdAt.replace(/\.\d+Z$/, "Z"),
    config: c.config.config,
    inputs: c.config.inputs,
    outputs: c.config.outputs,
    options: c.config.options,
  };
}
