/** `kiln stack list` and `kiln stack show`. */
import type { CommandSpec } from "../args";
import { EXIT } from "../exit";
import { stackRow, stackShown } from "../openstackFields";
import { printRecord, printRecords } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

export const stackList: CommandSpec<CliContext> = {
  words: ["stack", "list"],
  summary: "List stacks, newest first",
  positionals: [],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const stacks = await s.call(s.api.stacks.list.query());
    printRecords(ctx.io, !!values.json, stacks.map(stackRow), ["ID", "Stack Name", "Stack Status", "Creation Time", "Updated Time"]);
    return EXIT.ok;
  },
};

export const stackShow: CommandSpec<CliContext> = {
  words: ["stack", "show"],
  summary: "Show a stack: status, parameters, outputs",
  positionals: ["NAME"],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    const s = server(ctx, values);
    printRecord(ctx.io, !!values.json, stackShown(s.url, await s.call(s.api.stacks.show.query({ stack: name }))));
    return EXIT.ok;
  },
};
