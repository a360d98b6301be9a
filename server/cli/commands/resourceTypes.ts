/** `kiln resource type list|show`: the catalogue of resource types the server offers. */
import { stringify } from "yaml";
import { opt, type CommandSpec } from "../args";
import { EXIT } from "../exit";
import { printJson, table } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

export const resourceTypeList: CommandSpec<CliContext> = {
  words: ["resource", "type", "list"],
  summary: "List the resource types",
  positionals: [],
  options: {
    filter: { type: "string", value: "REGEX", help: "Only the types whose name matches" },
    long: { type: "boolean", help: "Show descriptions too" },
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const long = opt.flag(values, "long");
    const types = await s.call(s.api.resourceTypes.list.query({ name: opt.str(values, "filter"), withDescription: long }));
    if (values.json) printJson(ctx.io, types);
    else if (long) ctx.io.out(table(["Resource Type", "Description"], types.map((t) => [t.resource_type, firstLine(t.description)])));
    else ctx.io.out(table(["Resource Type"], types.map((t) => [t.resource_type])));
    return EXIT.ok;
  },
};

const firstLine = (s: string | undefined) => (s ?? "").split("\n")[0];

export const resourceTypeShow: CommandSpec<CliContext> = {
  words: ["resource", "type", "show"],
  summary: "Show a resource type's properties and attributes (YAML, as openstack prints it)",
  positionals: ["TYPE"],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [type] }) {
    const s = server(ctx, values);
    const t = await s.call(s.api.resourceTypes.show.query({ type }));
    if (values.json) printJson(ctx.io, t);
    else ctx.io.out(stringify(t, { lineWidth: 0 }).trimEnd());
    return EXIT.ok;
  },
};
