/** What is inside a stack: its events, resources and outputs. */
import { opt, type CommandSpec } from "../args";
import { EXIT, UsageError } from "../exit";
import { formatNotification } from "../eventLog";
import { inDependencyOrder } from "../dependencyOrder";
import { eventRow, outputRow, outputShown, resourceRow, resourceShown } from "../openstackFields";
import { printJson, printRecord, printRecords } from "../output";
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
    const events: Awaited<ReturnType<typeof s.api.events.list.query>> = [];
    for (let afterId = 0; ; ) {
      const page = await s.call(s.api.events.list.query({ ...base, afterId }));
      events.push(...page);
      if (page.length < base.limit) break;
      afterId = page.at(-1)!.id;
    }
    if (values.json) {
      const stack = await s.call(s.api.stacks.show.query({ stack: name }));
      const holder = (e: (typeof events)[number]) => (e.stackPath ? { name: e.stackPath.split("/").at(-1)!, id: e.stackId } : stack);
      printJson(ctx.io, events.map((e) => eventRow(e, holder(e))));
    } else for (const e of events) {
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
    const resources = inDependencyOrder(await s.call(s.api.resources.list.query({ stack: name, nestedDepth: depth })));
    // With a depth, each row names the stack holding it, as openstack's does.
    const stackIds = [...new Set(resources.map((r) => r.stackId))];
    const stackNames = depth > 0 ? new Map(await Promise.all(stackIds.map(async (id) => [id, (await s.call(s.api.stacks.show.query({ stack: id }))).name] as const))) : undefined;
    // Beyond Heat's columns: the drift a check found, when there is any.
    const drifted = resources.some((r) => r.drift.length);
    const headers = ["resource_name", "physical_resource_id", "resource_type", "resource_status", "updated_time", ...(stackNames ? ["stack_name"] : []), ...(drifted ? ["drift"] : [])];
    printRecords(ctx.io, !!values.json, resources.map((r) => ({ ...resourceRow(r, stackNames), ...(drifted ? { drift: r.drift.join("; ") } : {}) })), headers);
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
    const [st, r] = await Promise.all([s.call(s.api.stacks.show.query({ stack: name })), s.call(s.api.resources.show.query({ stack: name, resource }))]);
    // Beyond Heat's fields: what the cloud says of the object while Kiln waits, and drift a check found.
    printRecord(ctx.io, !!values.json, {
      ...resourceShown(s.url, String(st.parameters["OS::project_id"]), st, r),
      ...(r.cloudState ? { cloud_state: r.cloudState } : {}),
      ...(r.drift.length ? { drift: r.drift.join("\n") } : {}),
    });
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
    printRecords(ctx.io, !!values.json, outputs.map(outputRow), ["output_key", "description"]);
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
    if (values.value && !values.json) ctx.io.out(typeof o.outputValue === "string" ? o.outputValue : JSON.stringify(o.outputValue));
    else printRecord(ctx.io, !!values.json, outputShown(o));
    // An output that could not be resolved is an error a script should see.
    if (o.outputError) {
      if (values.value || values.json) ctx.io.err(`kiln: output ${output}: ${o.outputError}`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
