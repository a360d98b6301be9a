import { listStacks } from "../../services/stacks";
import { publicProcedure, router } from "../trpc";

export const stacksRouter = router({
  list: publicProcedure.query(({ ctx }) => listStacks(ctx.db, ctx.projectId)),
});
