/** What is inside a stack: its events, resources and outputs. */
import { opt, type CommandSpec } from "../args";
import { EXIT, UsageError } from "../exit";
import { formatNotification } from "../eventLog";
import { fieldTable, printJson, shortTime, table } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

export const eventList: CommandSpec<CliContext> = {
  words: ["stack", "event", "list"],
  summary: "List a stack's events, oldest first, in Heat's log format",
  positionals: ["NAME"],
  options: {
    nested: { type: "boolean", help: "Include the events of nested stacks" },
    resource: { type: "string", value: "RESOURCE", help: "Only the events of this resource" },
    warnings: { type: "boolean", help: "Include Kiln's warnings" },
    debug: { type: "boolean", help: "Include debug messages (why a resource is replaced, deployments' output) and the cloud states resources went through" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name] }) {
    const s = server(ctx, values);
    const kinds: ("event" | "warning" | "debug" | "progress")[] = ["event"];
    if (opt.flag(values, "warnings")) kinds.push("warning");
    if (opt.flag(values, "debug")) kinds.push("debug", "progress");
    const base = { stack: name, nested: opt.flag(values, "nested"), resource: opt.str(values, "resource"), kinds, limit: 5000 };
    const events = [];
    for (let afterId = 0; ; ) {
      const page = await s.call(s.api.events.list.query({ ...base, afterId }));
      events.push(...page);
      if (page.length < base.limit) break;
      afterId = page.at(-1)!.id;
    }
    if (values.json) printJson(ctx.io, events);
    else for (const e of events) {
      const line = formatNotification(e, { debug: true });
      if (line) ctx.io.out(line);
    }
    return EXIT.ok;
  },
};

export const resourceList: CommandSpec<CliContext> = {
  words: ["stack", "resource", "list"],
  summary: "List a stack's resources",
  positionals: ["NAME"],
  options: {
    "nested-depth": { type: "string", value: "N", help: "Include resources of nested stacks N levels down (0-5)" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name] }) {
    const raw = opt.str(values, "nested-depth") ?? "0";
    const depth = Number(raw);
    if (!/^\d+$/.test(raw) || depth > 5) throw new UsageError(`--nested-depth "${raw}": expected a number from 0 to 5`);
    const s = server(ctx, values);
    const resources = await s.call(s.api.resources.list.query({ stack: name, nestedDepth: depth }));
    if (values.json) {
      printJson(ctx.io, resources);
      return EXIT.ok;
    }
    const headers = ["resource_name", "physical_resource_id", "resource_type", "resource_status", "updated_time"];
    const rows = resources.map((r) => [r.name, r.physicalId ?? "", r.type, r.resourceStatus, shortTime(r.updatedAt)]);
    // Heat's columns, then where Kiln has them: the nested stack's path, and drift a check found.
    const extra: [string, (r: (typeof resources)[number]) => string][] = [];
    if (depth > 0) extra.push(["stack_path", (r) => r.stackPath]);
    if (resources.some((r) => r.drift.length)) extra.push(["drift", (r) => r.drift.join("; ")]);
    ctx.io.out(table([...headers, ...extra.map(([h]) => h)], rows.map((row, i) => [...row, ...extra.map(([, f]) => f(resources[i]))])));
    return EXIT.ok;
  },
};

export const resourceShow: CommandSpec<CliContext> = {
  words: ["stack", "resource", "show"],
  summary: "Show one resource: status, properties, attributes",
  positionals: ["NAME", "RESOURCE"],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [name, resource] }) {
    const s = server(ctx, values);
    const r = await s.call(s.api.resources.show.query({ stack: name, resource }));
    if (values.json) printJson(ctx.io, r);
    else
      ctx.io.out(
        fieldTable([
          ["resource_name", r.name],
          ["physical_resource_id", r.physicalId],
          ["resource_type", r.type],
          ["resource_status", r.resourceStatus],
          ["resource_status_reason", r.statusReason],
          ["creation_time", shortTime(r.createdAt)],
          ["updated_time", shortTime(r.updatedAt)],
          ["required_by", r.requiredBy],
          ["stack_path", r.stackPath],
          ["nested_stack_id", r.nestedStackId],
          ...(r.cloudState ? [["cloud_state", r.cloudState] as [string, unknown]] : []),
          ...(r.drift.length ? [["drift", r.drift.join("\n")] as [string, unknown]] : []),
          ["properties", r.properties],
          ["attributes", r.attributes],
        ]),
      );
    return EXIT.ok;
  },
};

export const outputList: CommandSpec<CliContext> = {
  words: ["stack", "output", "list"],
  summary: "List a stack's outputs",
  positionals: ["NAME"],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    const s = server(ctx, values);
    const outputs = await s.call(s.api.outputs.list.query({ stack: name }));
    if (values.json) printJson(ctx.io, outputs);
    else ctx.io.out(table(["output_key", "description"], outputs.map((o) => [o.outputKey, o.description])));
    return EXIT.ok;
  },
};

export const outputShow: CommandSpec<CliContext> = {
  words: ["stack", "output", "show"],
  summary: "Show one output's value",
  positionals: ["NAME", "OUTPUT"],
  options: {
    value: { type: "boolean", help: "Print only the value (strings as they are, anything else as JSON)" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name, output] }) {
    const s = server(ctx, values);
    const o = await s.call(s.api.outputs.show.query({ stack: name, output }));
    if (values.json) printJson(ctx.io, o);
    else if (values.value) ctx.io.out(typeof o.outputValue === "string" ? o.outputValue : JSON.stringify(o.outputValue));
    else
      ctx.io.out(
        fieldTable([
          ["output_key", o.outputKey],
          ["output_value", o.outputValue],
          ["description", o.description],
          ...(o.outputError ? ([["output_error", o.outputError]] as [string, unknown][]) : []),
        ]),
      );
    // An output that could not be resolved is an error a script should see.
    if (o.outputError) {
      if (values.value || values.json) ctx.io.err(`kiln: output ${output}: ${o.outputError}`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
