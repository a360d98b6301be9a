import { z } from "zod";
import { findStack, listResources, showResource } from "../../services/stacks";
import { viewerFor } from "../../services/shownSecrets";
import { stackRef } from "../inputs";
import { readerProcedure, router } from "../trpc";

export const resourcesRouter = router({
  list: readerProcedure
    .input(stackRef.extend({ nestedDepth: z.number().int().min(0).max(5).default(0) }))
    .query(async ({ ctx, input }) => listResources(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack), input.nestedDepth)),

  show: readerProcedure
    .input(stackRef.extend({ resource: z.string().min(1) }))
    .query(async ({ ctx, input }) => showResource(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack), input.resource, viewerFor(ctx.project.role))),
});
