import { z } from "zod";
import { listNotifications } from "../../notify/notificationHistory";
import { findStack } from "../../services/stacks";
import { stackRef } from "../inputs";
import { readerProcedure, router } from "../trpc";

export const eventsRouter = router({
  /** Heat's `stack event list`, plus Kiln's warnings and debug messages when asked for. */
  list: readerProcedure
    .input(
      stackRef.extend({
        afterId: z.number().int().min(0).optional(),
        kinds: z.array(z.enum(["event", "warning", "debug", "progress"])).default(["event"]),
        resource: z.string().optional(),
        nested: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(1000),
      }),
    )
    .query(async ({ ctx, input }) => {
      const stack = await findStack(ctx.rt, ctx.projectId, input.stack);
      return listNotifications(ctx.rt.db, {
        ...(input.nested ? { rootStackId: stack.rootStackId } : { stackId: stack.id }),
        afterId: input.afterId,
        kinds: input.kinds,
        resourceName: input.resource,
        limit: input.limit,
      });
    }),
});
