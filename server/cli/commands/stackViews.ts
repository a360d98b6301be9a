/** `kiln stack list` and `kiln stack show`. */
import type { CommandSpec } from "../args";
import { EXIT } from "../exit";
import { fieldTable, printJson, shortTime, table } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

/** The fields of a stack the tables show; the API's stack view has them all. */
export interface StackLike {
  id: string;
  name: string;
  description?: string;
  stackStatus: string;
  statusReason: string;
  createdAt: string;
  updatedAt: string;
  /** What the template was warned about, on create and update. */
  warnings?: string[];
}

/** The short form printed after create, update, check and cancel, as openstack prints it. */
export function stackSummary(st: StackLike): string {
  return fieldTable([
    ["id", st.id],
    ["stack_name", st.name],
    ["description", st.description ?? ""],
    ["creation_time", shortTime(st.createdAt)],
    ["updated_time", shortTime(st.updatedAt)],
    ["stack_status", st.stackStatus],
    ["stack_status_reason", st.statusReason],
  ]);
}

export const stackList: CommandSpec<CliContext> = {
  words: ["stack", "list"],
  summary: "List stacks, newest first",
  positionals: [],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const stacks = await s.call(s.api.stacks.list.query());
    if (values.json) printJson(ctx.io, stacks);
    else
      ctx.io.out(
        table(
          ["ID", "Stack Name", "Stack Status", "Creation Time", "Updated Time"],
          stacks.map((st) => [st.id, st.name, st.stackStatus, shortTime(st.createdAt), shortTime(st.updatedAt)]),
        ),
      );
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
    const st = await s.call(s.api.stacks.show.query({ stack: name }));
    if (values.json) {
      const { template: _template, ...rest } = st;
      printJson(ctx.io, rest);
      return EXIT.ok;
    }
    ctx.io.out(
      fieldTable([
        ["id", st.id],
        ["stack_name", st.name],
        ["description", st.description],
        ["creation_time", shortTime(st.createdAt)],
        ["updated_time", shortTime(st.updatedAt)],
        ["stack_status", st.stackStatus],
        ["stack_status_reason", st.statusReason],
        ["parameters", st.parameters],
        ["outputs", st.outputs.map((o) => ({ output_key: o.outputKey, output_value: o.outputValue, description: o.description, ...(o.outputError ? { output_error: o.outputError } : {}) }))],
        ["parent", st.parentResourceId],
        ["disable_rollback", st.disableRollback],
        ["timeout_mins", st.timeoutMins],
      ]),
    );
    return EXIT.ok;
  },
};
