import { z } from "zod";
import { findStack, listOutputs, NotFound } from "../../services/stacks";
import { viewerFor } from "../../services/shownSecrets";
import { stackRef } from "../inputs";
import { readerProcedure, router } from "../trpc";

export const outputsRouter = router({
  list: readerProcedure.input(stackRef).query(async ({ ctx, input }) => listOutputs(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack), viewerFor(ctx.project.role))),

  show: readerProcedure.input(stackRef.extend({ output: z.string().min(1) })).query(async ({ ctx, input }) => {
    const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
    const output = (await listOutputs(ctx.rt, stack, viewerFor(ctx.project.role))).find((o) => o.outputKey === input.output);
    if (!output) throw new NotFound(`Output "${input.output}" not found in stack "${stack.name}"`);
    return output;
  }),
});
