/**
 * `kiln user …`, `kiln project …`, `kiln role …`: for administrators; `kiln password`: anyone
 * signed in, for their own password.
 */
import { opt, type CommandSpec, type OptionValues } from "../args";
import { EXIT, UsageError } from "../exit";
import { printJson, shortTime, table } from "../output";
import { confirmed, flags, server, serverFlags, yes, type CliContext } from "./context";


/** The --password given, or one asked for without echo. */
async function passwordFrom(ctx: CliContext, values: OptionValues, command: string, question: string): Promise<string> {
  const given = opt.str(values, "password");
  if (given !== undefined) return given;
  if (!ctx.io.interactive) throw new UsageError(`${command} needs --password when it cannot ask`);
  return ctx.io.ask(question, { secret: true });
}


export const userCreate: CommandSpec<CliContext> = {
  words: ["user", "create"],
  summary: "Create a user (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, password: { type: "string", value: "PASSWORD", help: "The new user's password (else asked without echo)" }, json: flags.json },
  async run(ctx, { values, positionals: [name] }) {
    const password = await passwordFrom(ctx, values, "kiln user create", `Password for ${name}: `);
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

export const userList: CommandSpec<CliContext> = {
  words: ["user", "list"],
  summary: "List users and their roles (administrators only)",
  positionals: [],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const users = await s.call(s.api.users.list.query());
    if (values.json) printJson(ctx.io, users);
    else ctx.io.out(table(["Name", "Roles", "Created"], users.map((u) => [u.name, u.roles.map((r) => `${r.role} in ${r.project}`).join(", "), shortTime(u.createdAt)])));
    return EXIT.ok;
  },
};

export const userDelete: CommandSpec<CliContext> = {
  words: ["user", "delete"],
  summary: "Delete a user; their sessions end (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, yes },
  async run(ctx, { values, positionals: [name] }) {
    if (!(await confirmed(ctx, values, `Delete user ${name}?`))) return EXIT.failed;
    const s = server(ctx, values);
    await s.call(s.api.users.delete.mutate({ name: name! }));
    ctx.io.out(`Deleted user ${name}`);
    return EXIT.ok;
  },
};

export const userSetPassword: CommandSpec<CliContext> = {
  words: ["user", "set"],
  summary: "Set a user's password (--password, else asked); their sessions end (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, password: { type: "string", value: "PASSWORD", help: "The new password (else asked without echo)" } },
  async run(ctx, { values, positionals: [name] }) {
    const password = await passwordFrom(ctx, values, "kiln user set", `New password for ${name}: `);
    const s = server(ctx, values);
    await s.call(s.api.users.setPassword.mutate({ name: name!, password }));
    ctx.io.out(`Set the password of ${name}; their sessions have ended`);
    return EXIT.ok;
  },
};

export const passwordChange: CommandSpec<CliContext> = {
  words: ["password"],
  summary: "Change your own password; your other sessions end",
  positionals: [],
  options: {
    ...serverFlags,
    current: { type: "string", value: "PASSWORD", help: "Your current password (else asked without echo)" },
    password: { type: "string", value: "PASSWORD", help: "The new password (else asked twice without echo)" },
  },
  async run(ctx, { values }) {
    if ((opt.str(values, "current") === undefined || opt.str(values, "password") === undefined) && !ctx.io.interactive) {
      throw new UsageError("kiln password needs --current and --password when it cannot ask");
    }
    const current = opt.str(values, "current") ?? (await ctx.io.ask("Current password: ", { secret: true }));
    let password = opt.str(values, "password");
    if (password === undefined) {
      password = await ctx.io.ask("New password: ", { secret: true });
      if ((await ctx.io.ask("New password again: ", { secret: true })) !== password) throw new UsageError("the two new passwords differ; nothing changed");
    }
    const s = server(ctx, values);
    await s.call(s.api.users.changeOwnPassword.mutate({ current, password }));
    ctx.io.out("Password changed; your other sessions have ended");
    return EXIT.ok;
  },
};

export const projectList: CommandSpec<CliContext> = {
  words: ["project", "list"],
  summary: "List projects (administrators only)",
  positionals: [],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const projects = await s.call(s.api.projects.list.query());
    if (values.json) printJson(ctx.io, projects);
    else ctx.io.out(table(["ID", "Name", "Members", "Created"], projects.map((p) => [p.id, p.name, p.members, shortTime(p.createdAt)])));
    return EXIT.ok;
  },
};

export const projectDelete: CommandSpec<CliContext> = {
  words: ["project", "delete"],
  summary: "Delete a project that has no stacks (administrators only)",
  positionals: ["NAME"],
  options: { ...serverFlags, yes },
  async run(ctx, { values, positionals: [name] }) {
    if (!(await confirmed(ctx, values, `Delete project ${name}?`))) return EXIT.failed;
    // NAME is the project deleted, not the one the request acts in (an admin acts in all).
    const s = server(ctx, { ...values, project: undefined });
    await s.call(s.api.projects.delete.mutate({ name: name! }));
    ctx.io.out(`Deleted project ${name}`);
    return EXIT.ok;
  },
};

export const roleRemove: CommandSpec<CliContext> = {
  words: ["role", "remove"],
  summary: "Take a user's role in a project away (administrators only)",
  positionals: [],
  options: {
    ...serverFlags,
    user: { type: "string", value: "NAME", required: true, help: "The user" },
    project: { type: "string", value: "PROJECT", required: true, help: "The project the role is in" },
  },
  async run(ctx, { values }) {
    const s = server(ctx, { ...values, project: undefined });
    const removed = await s.call(s.api.roles.remove.mutate({ user: String(values.user), project: String(values.project) }));
    ctx.io.out(`${removed.user} has no role in ${removed.project} now`);
    return EXIT.ok;
  },
};
