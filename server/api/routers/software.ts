import { z } from "zod";
import { findStack } from "../../services/stacks";
import { viewerFor } from "../../services/shownSecrets";
import { agentCommandsOf, agentsOf, deploymentOfResource, listConfigs, listDeployments, showConfig, showDeployment } from "../../services/softwareViews";
import { stackRef } from "../inputs";
import { memberProcedure, readerProcedure, router } from "../trpc";

const id = z.string().min(1).max(200);

/** Software configs, deployments and the agents of servers (isAgentServer): what the stack page and `kiln software …` show. */
export const softwareRouter = router({
  /** Each server of the stack's tree that Kiln's agent serves (a DeployedServer, a SOFTWARE_CONFIG Nova server), and whether its agent is connected. */
  agents: readerProcedure.input(stackRef).query(async ({ ctx, input }) => agentsOf(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack))),

  /** What `kiln agent` needs for each of those servers, credential included: members only. */
  agentCommands: memberProcedure.input(stackRef).query(async ({ ctx, input }) => agentCommandsOf(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack))),

  /** The deployment behind a deployment resource (null for any other resource). */
  deploymentOf: readerProcedure
    .input(stackRef.extend({ resource: z.string().min(1) }))
    .query(async ({ ctx, input }) => deploymentOfResource(ctx.rt, await findStack(ctx.rt, ctx.projectId, input.stack), input.resource, viewerFor(ctx.project.role))),

  configList: readerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(1000), marker: id.optional() }).default({ limit: 1000 }))
    .query(({ ctx, input }) => listConfigs(ctx.rt, ctx.projectId, input, viewerFor(ctx.project.role))),

  configShow: readerProcedure.input(z.object({ id })).query(({ ctx, input }) => showConfig(ctx.rt, ctx.projectId, input.id, viewerFor(ctx.project.role))),

  deploymentList: readerProcedure
    .input(z.object({ server: id.optional() }).default({}))
    .query(({ ctx, input }) => listDeployments(ctx.rt, ctx.projectId, input.server, viewerFor(ctx.project.role))),

  deploymentShow: readerProcedure.input(z.object({ id })).query(({ ctx, input }) => showDeployment(ctx.rt, ctx.projectId, input.id, viewerFor(ctx.project.role))),
});
