/** Stack operations: create, update (and its preview), delete, check, cancel. */
import { opt, type CommandSpec, type OptionSpec, type OptionValues } from "../args";
import { EXIT, UsageError } from "../exit";
import { MAX_STACK_TIMEOUT_MINS } from "../../engine/limits";
import { stackRow, stackSummary, type StackLike } from "../openstackFields";
import { printJson, printRecord, printRecords, table } from "../output";
import { readSubmission } from "../submission";
import type { StackOperation } from "../wait";
import { flags, server, serverFlags, templateFlags, type CliContext, type Server } from "./context";
import { follow, lastNotificationId, reportOutcome } from "./follow";

const showUnchangedFlag: OptionSpec = { type: "boolean", help: "With the preview, list the unchanged resources too (they are counted either way)" };
const timeoutFlag: OptionSpec = { type: "string", value: "MINUTES", help: "Fail the operation if it is not done within MINUTES" };

function timeoutMins(values: OptionValues): number | undefined {
  const raw = opt.str(values, "timeout");
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > MAX_STACK_TIMEOUT_MINS) throw new UsageError(`--timeout "${raw}": expected whole minutes, 1 to ${MAX_STACK_TIMEOUT_MINS}`);
  return n;
}

/** After the request: print the stack (or JSON), or follow it to the end with --wait. */
async function finish(ctx: CliContext, s: Server, values: OptionValues, st: StackLike & { warnings?: string[] }, op: StackOperation, rollback: boolean, afterId: number) {
  const json = opt.flag(values, "json");
  // As openstack prints them: create and update the stack's short form, check and cancel its list row.
  const print = (shown: StackLike) => (op === "CHECK" || op === "CANCEL" ? printRecords(ctx.io, json, [stackRow(shown)]) : printRecord(ctx.io, json, stackSummary(shown)));
  if (!opt.flag(values, "wait")) {
    // Following prints them among the events; without it they are said here, once.
    for (const w of st.warnings ?? []) ctx.io.err(`WARNING ${w}`);
    print(st);
    return EXIT.ok;
  }
  const result = await follow(ctx, s, { stackId: st.id, stackName: st.name, operation: op, rollback, afterId, json, debug: opt.flag(values, "debug") });
  if (op !== "DELETE" && result.stackStatus !== "DELETE_COMPLETE") {
    const after = await s.call(s.api.stacks.show.query({ stack: st.id }));
    if (json || result.ok) print(after);
  } else if (json) printJson(ctx.io, { id: st.id, stack_name: st.name, stack_status: result.stackStatus, stack_status_reason: result.reason });
  return reportOutcome(ctx, st.name, result);
}

export const stackCreate: CommandSpec<CliContext> = {
  words: ["stack", "create"],
  summary: "Create a stack",
  positionals: ["NAME"],
  options: {
    ...templateFlags,
    timeout: timeoutFlag,
    "enable-rollback": { type: "boolean", help: "Roll back (delete what was made) when the create fails" },
    wait: flags.wait,
    debug: flags.debug,
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name] }) {
    const input = readSubmission(values, ctx.io.cwd);
    const s = server(ctx, values);
    const rollback = opt.flag(values, "enable-rollback");
    const st = await s.call(s.api.stacks.create.mutate({ name, ...input, timeoutMins: timeoutMins(values), disableRollback: !rollback }));
    // A new stack has no notifications before this one: follow from the start.
    return finish(ctx, s, values, st, "CREATE", rollback, 0);
  },
};

const ROLLBACK_CHOICES = ["enabled", "disabled", "keep"];

/** `--existing` and `--clear-parameter`, as python-heatclient has them. */
const existingFlags = {
  existing: { type: "boolean", help: "Keep the stack's environment, files and parameter values (hidden ones included); what is given goes on top" },
  "clear-parameter": { type: "string", value: "NAME", multiple: true, help: "With --existing: let this parameter fall back to its default, repeatable" },
} as const;

function existingOptions(values: OptionValues) {
  const existing = opt.flag(values, "existing");
  const clearParameters = opt.list(values, "clear-parameter");
  if (clearParameters.length && !existing) throw new UsageError("--clear-parameter only applies with --existing (without it, parameters not given take their defaults anyway)");
  return { existing, clearParameters };
}

export const stackUpdate: CommandSpec<CliContext> = {
  words: ["stack", "update"],
  summary: "Update a stack to a new template, environments and parameters",
  positionals: ["NAME"],
  options: {
    ...templateFlags,
    timeout: timeoutFlag,
    rollback: { type: "string", value: "enabled|disabled|keep", help: "Roll back a failed update (default: keep the stack's setting)" },
    "dry-run": { type: "boolean", help: "Only show what the update would change (as stack preview)" },
    "show-unchanged": showUnchangedFlag,
    ...existingFlags,
    wait: flags.wait,
    debug: flags.debug,
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name] }) {
    const rollbackFlag = opt.str(values, "rollback") ?? "keep";
    if (!ROLLBACK_CHOICES.includes(rollbackFlag)) throw new UsageError(`--rollback "${rollbackFlag}": allowed: ${ROLLBACK_CHOICES.join(", ")}`);
    const timeout = timeoutMins(values);
    const input = { ...readSubmission(values, ctx.io.cwd), ...existingOptions(values) };
    const s = server(ctx, values);
    if (opt.flag(values, "dry-run")) return preview(ctx, s, name, input, values);
    const before = await s.call(s.api.stacks.show.query({ stack: name }));
    const afterId = opt.flag(values, "wait") ? await lastNotificationId(s, before.id) : 0;
    const disableRollback = rollbackFlag === "keep" ? undefined : rollbackFlag === "disabled";
    const st = await s.call(s.api.stacks.update.mutate({ stack: before.id, ...input, timeoutMins: timeout, disableRollback }));
    return finish(ctx, s, values, st, "UPDATE", !st.disableRollback, afterId);
  },
};

/** The preview's lists, in the order they are printed and counted. */
const CHANGES = [
  ["added", "added", "to add"],
  ["updated", "updated", "to update"],
  ["replaced", "replaced", "to replace"],
  ["may_change", "may change", "may change"],
  ["deleted", "deleted", "to delete"],
  ["unchanged", "unchanged", "unchanged"],
] as const;

async function preview(ctx: CliContext, s: Server, name: string, input: ReturnType<typeof readSubmission> & ReturnType<typeof existingOptions>, values: OptionValues) {
  const p = await s.call(s.api.stacks.preview.mutate({ stack: name, ...input }));
  if (opt.flag(values, "json")) {
    printJson(ctx.io, p);
    return EXIT.ok;
  }
  const shown = CHANGES.filter(([key]) => key !== "unchanged" || opt.flag(values, "show-unchanged"));
  const rows = shown.flatMap(([key, label]) => p[key].map((e) => [label, e.resource_name, e.resource_type, e.reason ?? ""]));
  if (rows.length) ctx.io.out(table(["Change", "Resource Name", "Resource Type", "Reason"], rows));
  ctx.io.out(CHANGES.map(([key, , counted]) => `${p[key].length} ${counted}`).join(", "));
  return EXIT.ok;
}

export const stackPreview: CommandSpec<CliContext> = {
  words: ["stack", "preview"],
  summary: "Show what updating a stack to a template would change, without changing it",
  positionals: ["NAME"],
  options: { ...templateFlags, ...existingFlags, "show-unchanged": showUnchangedFlag, ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    const input = { ...readSubmission(values, ctx.io.cwd), ...existingOptions(values) };
    return preview(ctx, server(ctx, values), name, input, values);
  },
};

export const stackDelete: CommandSpec<CliContext> = {
  words: ["stack", "delete"],
  summary: "Delete a stack and its resources",
  positionals: ["NAME"],
  options: {
    yes: { type: "boolean", short: "y", help: "Do not ask for confirmation (never asked when stdin is not a terminal)" },
    wait: flags.wait,
    debug: flags.debug,
    ...serverFlags,
    json: flags.json,
  },
  async run(ctx, { values, positionals: [name] }) {
    const s = server(ctx, values);
    const before = await s.call(s.api.stacks.show.query({ stack: name }));
    if (!opt.flag(values, "yes") && ctx.io.interactive && !(await ctx.io.confirm(`Delete stack ${before.name} (${before.id})?`))) {
      ctx.io.err("kiln: not deleted");
      return EXIT.failed;
    }
    const afterId = opt.flag(values, "wait") ? await lastNotificationId(s, before.id) : 0;
    const result = await s.call(s.api.stacks.delete.mutate({ stack: before.id }));
    if (!opt.flag(values, "wait")) {
      if (opt.flag(values, "json")) printJson(ctx.io, result);
      return EXIT.ok;
    }
    return finish(ctx, s, values, { ...before, stackStatus: result.stackStatus }, "DELETE", false, afterId);
  },
};

/** check and cancel: same shape, an action on an existing stack. */
function simpleOperation(word: "check" | "cancel", summary: string, op: StackOperation): CommandSpec<CliContext> {
  return {
    words: ["stack", word],
    summary,
    positionals: ["NAME"],
    options: { wait: flags.wait, debug: flags.debug, ...serverFlags, json: flags.json },
    async run(ctx, { values, positionals: [name] }) {
      const s = server(ctx, values);
      const before = await s.call(s.api.stacks.show.query({ stack: name }));
      const afterId = opt.flag(values, "wait") ? await lastNotificationId(s, before.id) : 0;
      const st = await s.call(word === "check" ? s.api.stacks.check.mutate({ stack: before.id }) : s.api.stacks.cancel.mutate({ stack: before.id }));
      // A cancelled update always rolls back; a cancelled create only when the stack allows it.
      const rollback = before.action === "UPDATE" || !before.disableRollback;
      return finish(ctx, s, values, st, op, rollback, afterId);
    },
  };
}

export const stackCheck = simpleOperation("check", "Check that every resource of a stack still exists as recorded", "CHECK");
export const stackCancel = simpleOperation("cancel", "Cancel a create or update in progress (an update rolls back)", "CANCEL");
