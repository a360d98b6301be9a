import { z } from "zod";
import {
  addRole,
  changeOwnPassword,
  createProject,
  createUser,
  deleteProject,
  deleteUser,
  listProjects,
  listUsers,
  removeRole,
  setPassword,
} from "../../identity/administration";
import { MAX_PASSWORD_BYTES } from "../../identity/passwords";
import { ROLES } from "../../identity/roles";
import type { Runtime } from "../../services/runtime";
import { adminProcedure, router, signedInProcedure } from "../trpc";

/** Every process ends these users' live connections: they come back re-checked, or not at all. */
const accessEnded = (rt: Runtime) => (userIds: string[]) => {
  for (const user of userIds) rt.signals.send("access-ended", JSON.stringify({ user }));
};

/** Names of users and projects: what a shell, a URL and a log line show without quoting. */
const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.@-]{0,63}$/, "1 to 64 letters, digits, _ . @ - (starting with a letter or digit)");
const password = z
  .string()
  .min(8, "at least 8 characters")
  .refine((p) => Buffer.byteLength(p) <= MAX_PASSWORD_BYTES, `at most ${MAX_PASSWORD_BYTES} bytes`);

const ref = z.string().min(1).max(255);

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.identity.administered())),
  create: adminProcedure.input(z.object({ name, password })).mutation(({ ctx, input }) => createUser(ctx.identity.administered(), input.name, input.password)),
  delete: adminProcedure.input(z.object({ name: ref })).mutation(({ ctx, input }) => deleteUser(ctx.identity.administered(), input.name, ctx.caller.userId, accessEnded(ctx.rt))),
  /** Sets another user's password; their sessions end. */
  setPassword: adminProcedure.input(z.object({ name: ref, password })).mutation(({ ctx, input }) => setPassword(ctx.identity.administered(), input.name, input.password, accessEnded(ctx.rt))),
  /** The caller's own password, given the current one; their other sessions end. */
  changeOwnPassword: signedInProcedure
    .input(z.object({ current: z.string().min(1).max(1024), password }))
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.identity.administered(), ctx.caller, input.current, input.password, accessEnded(ctx.rt))),
});

export const projectsRouter = router({
  list: adminProcedure.query(({ ctx }) => listProjects(ctx.identity.administered())),
  create: adminProcedure.input(z.object({ name })).mutation(({ ctx, input }) => createProject(ctx.identity.administered(), input.name)),
  delete: adminProcedure
    .input(z.object({ name: ref }))
    .mutation(({ ctx, input }) => deleteProject(ctx.identity.administered(), input.name, async (id) => (await ctx.rt.store.listStacks(id)).length, accessEnded(ctx.rt))),
});

export const rolesRouter = router({
  add: adminProcedure
    .input(z.object({ user: ref, project: ref, role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => addRole(ctx.identity.administered(), input.user, input.project, input.role, accessEnded(ctx.rt))),
  remove: adminProcedure.input(z.object({ user: ref, project: ref })).mutation(({ ctx, input }) => removeRole(ctx.identity.administered(), input.user, input.project, accessEnded(ctx.rt))),
});
