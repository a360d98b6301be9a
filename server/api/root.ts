import { router } from "./trpc";
import { eventsRouter } from "./routers/events";
import { outputsRouter } from "./routers/outputs";
import { resourcesRouter } from "./routers/resources";
import { resourceTypesRouter } from "./routers/resourceTypes";
import { stacksRouter } from "./routers/stacks";
import { templatesRouter } from "./routers/templates";

export const appRouter = router({
  stacks: stacksRouter,
  resources: resourcesRouter,
  outputs: outputsRouter,
  events: eventsRouter,
  templates: templatesRouter,
  resourceTypes: resourceTypesRouter,
});

export type AppRouter = typeof appRouter;
