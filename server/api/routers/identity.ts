import { z } from "zod";
import { addRole, createProject, createUser } from "../../identity/administration";
import { MAX_PASSWORD_BYTES } from "../../identity/passwords";
import { ROLES } from "../../identity/roles";
import { adminProcedure, router } from "../trpc";

/** Names of users and projects: what a shell, a URL and a log line show without quoting. */
const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.@-]{0,63}$/, "1 to 64 letters, digits, _ . @ - (starting with a letter or digit)");
const password = z
  .string()
  .min(8, "at least 8 characters")
  .refine((p) => Buffer.byteLength(p) <= MAX_PASSWORD_BYTES, `at most ${MAX_PASSWORD_BYTES} bytes`);

export const usersRouter = router({
  create: adminProcedure.input(z.object({ name, password })).mutation(({ ctx, input }) => createUser(ctx.identity.administered(), input.name, input.password)),
});

export const projectsRouter = router({
  create: adminProcedure.input(z.object({ name })).mutation(({ ctx, input }) => createProject(ctx.identity.administered(), input.name)),
});

export const rolesRouter = router({
  add: adminProcedure
    .input(z.object({ user: z.string().min(1), project: z.string().min(1), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => addRole(ctx.identity.administered(), input.user, input.project, input.role)),
});
