import { router } from "./trpc";
import { stacksRouter } from "./routers/stacks";

export const appRouter = router({
  stacks: stacksRouter,
});

export type AppRouter = typeof appRouter;
