/**
 * `kiln software config …` and `kiln software deployment …`: the read verbs of openstack's
 * `software config` and `software deployment`, with their field names and layouts (configs and
 * deployments are made by stacks here, so the create and delete verbs are not offered).
 */
import { stringify } from "yaml";
import { opt, type CommandSpec } from "../args";
import { CliFailure, EXIT, UsageError } from "../exit";
import { fieldTable, printJson, shortTime, table } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

export const softwareConfigList: CommandSpec<CliContext> = {
  words: ["software", "config", "list"],
  summary: "List the project's software configs, newest first (derived configs included, as Heat lists them)",
  positionals: [],
  options: {
    limit: { type: "string", value: "N", help: "At most N configs" },
    marker: { type: "string", value: "ID", help: "Only configs after the config with this id (the next page)" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values }) {
    const raw = opt.str(values, "limit");
    if (raw !== undefined && (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000)) throw new UsageError(`--limit "${raw}": expected a number from 1 to 1000`);
    const s = server(ctx, values);
    const configs = await s.call(s.api.software.configList.query({ limit: raw === undefined ? 1000 : Number(raw), marker: opt.str(values, "marker") }));
    if (values.json) printJson(ctx.io, configs);
    else ctx.io.out(table(["id", "name", "group", "creation_time"], configs.map((c) => [c.id, c.name, c.group, shortTime(c.creation_time)])));
    return EXIT.ok;
  },
};

export const softwareConfigShow: CommandSpec<CliContext> = {
  words: ["software", "config", "show"],
  summary: "Show a software config (as YAML, as openstack does)",
  positionals: ["CONFIG"],
  options: {
    "config-only": { type: "boolean", help: "Only print the value of its config property" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [id] }) {
    const s = server(ctx, values);
    const c = await s.call(s.api.software.configShow.query({ id }));
    if (opt.flag(values, "config-only")) ctx.io.out(typeof c.config === "string" ? c.config.replace(/\n$/, "") : stringify(c.config).trimEnd());
    else if (values.json) printJson(ctx.io, c);
    else ctx.io.out(stringify({ ...c, creation_time: shortTime(c.creation_time) }, { sortMapEntries: true, lineWidth: 0 }).trimEnd());
    return EXIT.ok;
  },
};

export const softwareDeploymentList: CommandSpec<CliContext> = {
  words: ["software", "deployment", "list"],
  summary: "List the project's software deployments, oldest first",
  positionals: [],
  options: {
    server: { type: "string", value: "ID", help: "Only the deployments to this server (a DeployedServer's physical id)" },
    long: { type: "boolean", help: "Also show creation_time and status_reason" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const list = await s.call(s.api.software.deploymentList.query({ server: opt.str(values, "server") }));
    if (values.json) {
      printJson(ctx.io, list);
      return EXIT.ok;
    }
    const long = opt.flag(values, "long");
    const headers = ["id", "config_id", "server_id", "action", "status", ...(long ? ["creation_time", "status_reason"] : [])];
    ctx.io.out(table(headers, list.map((d) => [d.id, d.config_id, d.server_id, d.action, d.status, ...(long ? [shortTime(d.creation_time), d.status_reason] : [])])));
    return EXIT.ok;
  },
};

export const softwareDeploymentShow: CommandSpec<CliContext> = {
  words: ["software", "deployment", "show"],
  summary: "Show a software deployment",
  positionals: ["DEPLOYMENT"],
  options: {
    long: { type: "boolean", help: "Also show output_values" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [id] }) {
    const s = server(ctx, values);
    const d = await s.call(s.api.software.deploymentShow.query({ id }));
    if (values.json) {
      printJson(ctx.io, d);
      return EXIT.ok;
    }
    const fields: [string, unknown][] = [
      ["id", d.id],
      ["server_id", d.server_id],
      ["config_id", d.config_id],
      ["creation_time", shortTime(d.creation_time)],
      ["updated_time", shortTime(d.updated_time)],
      ["status", d.status],
      ["status_reason", d.status_reason],
      ["input_values", d.input_values],
      ["action", d.action],
    ];
    if (opt.flag(values, "long")) fields.push(["output_values", d.output_values]);
    ctx.io.out(fieldTable(fields));
    return EXIT.ok;
  },
};

/** Lines kept of deploy_stdout and deploy_stderr without --long: the last ones, as openstack keeps. */
const TAIL_LINES = 10;

export const softwareDeploymentOutputShow: CommandSpec<CliContext> = {
  words: ["software", "deployment", "output", "show"],
  summary: "Show one output of a software deployment, or all of them with --all",
  positionals: ["DEPLOYMENT", "[OUTPUT]"],
  options: {
    all: { type: "boolean", help: "Show every output" },
    long: { type: "boolean", help: `Show deploy_stdout and deploy_stderr whole (otherwise their last ${TAIL_LINES} lines)` },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [id, output] }) {
    const all = opt.flag(values, "all");
    if (all === (output !== undefined)) throw new UsageError("software deployment output show: give either an OUTPUT name or --all");
    const s = server(ctx, values);
    const d = await s.call(s.api.software.deploymentShow.query({ id }));
    const outputs = d.output_values;
    if (!all && !(output! in outputs)) throw new CliFailure(`Output ${output} does not exist in deployment ${id}`, EXIT.failed);
    if (values.json) {
      printJson(ctx.io, all ? outputs : { [output!]: outputs[output!] });
      return EXIT.ok;
    }
    // Nothing reported yet: openstack prints nothing either.
    if (Object.keys(outputs).length === 0) return EXIT.ok;
    const long = opt.flag(values, "long");
    ctx.io.out(all ? "output_values:\n" : "output_value:\n");
    for (const name of all ? Object.keys(outputs) : [output!]) ctx.io.out(outputText(name, outputs[name], long));
    return EXIT.ok;
  },
};

/** `  name: value`; stdout and stderr as an indented block, cut to their last lines unless `long`. */
function outputText(name: string, value: unknown, long: boolean): string {
  if (name !== "deploy_stdout" && name !== "deploy_stderr") return `  ${name}: ${value === null || value === undefined ? "None" : typeof value === "string" ? value : JSON.stringify(value)}`;
  let lines = value === null || value === undefined ? [] : String(value).split(/\r?\n/);
  if (lines.at(-1) === "") lines = lines.slice(0, -1);
  if (!long && lines.length > TAIL_LINES) lines = ["...", ...lines.slice(-TAIL_LINES), "(truncated, view all with --long)"];
  return [`  ${name}: |`, ...lines.map((l) => `    ${l}`)].join("\n");
}
