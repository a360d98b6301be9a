import { router } from "./trpc";
import { cloudRouter } from "./routers/cloud";
import { eventsRouter } from "./routers/events";
import { projectsRouter, rolesRouter, usersRouter } from "./routers/identity";
import { outputsRouter } from "./routers/outputs";
import { resourcesRouter } from "./routers/resources";
import { resourceTypesRouter } from "./routers/resourceTypes";
import { sessionRouter } from "./routers/session";
import { softwareRouter } from "./routers/software";
import { stacksRouter } from "./routers/stacks";
import { templatesRouter } from "./routers/templates";

export const appRouter = router({
  stacks: stacksRouter,
  resources: resourcesRouter,
  outputs: outputsRouter,
  events: eventsRouter,
  templates: templatesRouter,
  resourceTypes: resourceTypesRouter,
  software: softwareRouter,
  session: sessionRouter,
  users: usersRouter,
  projects: projectsRouter,
  roles: rolesRouter,
  cloud: cloudRouter,
});

export type AppRouter = typeof appRouter;
