/** `kiln user create`, `kiln project create`, `kiln role add`: for administrators. */
import type { CommandSpec } from "../args";
import { EXIT, UsageError } from "../exit";
import { printJson } from "../output";
import { flags, server, serverFlags, type CliContext } from "./context";

export const userCreate: CommandSpec<CliContext> = {
  words: ["user", "create"],
  summary: "Create a user (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, password: { type: "string", value: "PASSWORD", help: "The new user's password (else asked without echo)" }, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    let password = typeof values.password === "string" ? values.password : undefined;
    if (password === undefined) {
      if (!ctx.io.interactive) throw new UsageError("kiln user create needs --password when it cannot ask");
      password = await ctx.io.ask(`Password for ${name}: `, { secret: true });
    }
    const s = server(ctx, values);
    const user = await s.call(s.api.users.create.mutate({ name, password }));
    if (values.json) printJson(ctx.io, user);
    else ctx.io.out(`Created user ${user.name}`);
    return EXIT.ok;
  },
};

export const projectCreate: CommandSpec<CliContext> = {
  words: ["project", "create"],
  summary: "Create a project (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    const s = server(ctx, values);
    const project = await s.call(s.api.projects.create.mutate({ name }));
    if (values.json) printJson(ctx.io, project);
    else ctx.io.out(`Created project ${project.name}`);
    return EXIT.ok;
  },
};

export const roleAdd: CommandSpec<CliContext> = {
  words: ["role", "add"],
  summary: "Give a user a role in a project: reader, member or admin (administrators only)",
  positionals: ["ROLE"],
  options: {
    ...serverFlags,
    user: { type: "string", value: "NAME", required: true, help: "The user" },
    project: { type: "string", value: "PROJECT", required: true, help: "The project the role is in" },
  },
  async run(ctx, { values, positionals: [role] }) {
    if (role !== "reader" && role !== "member" && role !== "admin") throw new UsageError(`role "${role}" is not one of reader, member, admin`);
    // --project names the role's project here, not the one the request acts in (an admin acts in all).
    const s = server(ctx, { ...values, project: undefined });
    const added = await s.call(s.api.roles.add.mutate({ user: String(values.user), project: String(values.project), role }));
    ctx.io.out(`${added.user} is now a ${added.role} in ${added.project}`);
    return EXIT.ok;
  },
};
