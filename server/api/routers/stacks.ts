import { z } from "zod";
import { findStack, listStacks, showStack } from "../../services/stacks";
import { viewerFor } from "../../services/shownSecrets";
import { memberProcedure, readerProcedure, router } from "../trpc";
import { stackRef, templateInput } from "../inputs";
import { createStackFor } from "../stackCreation";
import { MAX_STACK_TIMEOUT_MINS } from "../../engine/limits";

const options = z.object({
  timeoutMins: z.number().int().positive().max(MAX_STACK_TIMEOUT_MINS).nullable().optional(),
  disableRollback: z.boolean().optional(),
});
/** Heat's PATCH update: the stack's environment, files and parameters carry over under what is given. */
const existing = z.object({
  existing: z.boolean().optional(),
  clearParameters: z.array(z.string().min(1)).optional(),
});

export const stacksRouter = router({
  list: readerProcedure.query(({ ctx }) => listStacks(ctx.rt, ctx.projectId)),

  show: readerProcedure.input(stackRef).query(async ({ ctx, input }) => showStack(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack), viewerFor(ctx.project.role))),

  create: memberProcedure
    .input(templateInput.merge(options).extend({ name: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const stack = await createStackFor(ctx.rt, ctx.caller, { ...input, projectId: ctx.projectId });
      return { ...(await showStack(ctx.rt, stack, viewerFor(ctx.project.role))), warnings: stack.warnings };
    }),

  update: memberProcedure.input(templateInput.merge(options).merge(existing).merge(stackRef)).mutation(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    const updated = await ctx.rt.engine.updateStack(stack.id, input);
    return { ...(await showStack(ctx.rt, updated, viewerFor(ctx.project.role))), warnings: updated.warnings };
  }),

  /** Changes nothing; a mutation only so large templates travel in a POST body. */
  preview: memberProcedure.meta({ access: "member", changesNothing: true }).input(templateInput.merge(existing).merge(stackRef)).mutation(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    return ctx.rt.engine.previewUpdate(stack.id, input);
  }),

  delete: memberProcedure.input(stackRef).mutation(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    const after = await ctx.rt.engine.deleteStack(stack.id);
    return { id: after.id, name: after.name, stackStatus: `${after.action}_${after.status}` };
  }),

  cancel: memberProcedure.input(stackRef).mutation(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    return showStack(ctx.rt, await ctx.rt.engine.cancelUpdate(stack.id), viewerFor(ctx.project.role));
  }),

  check: memberProcedure.input(stackRef).mutation(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    return showStack(ctx.rt, await ctx.rt.engine.checkStack(stack.id), viewerFor(ctx.project.role));
  }),
});
