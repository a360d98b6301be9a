/**
 * tRPC setup: the context every procedure receives, the initialiser, and the reusable
 * procedure builders. Routers live in ./routers, one per entity, merged in ./root.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { InvalidRequest, OperationRefused, TemplateInvalid } from "../engine/convergence/engineContext";
import { formatBytes, inputLimits } from "../engine/limits";
import { NotFound } from "../services/stacks";
import type { Runtime } from "../services/runtime";
import type { TemplateProblem } from "../services/templates";

export interface Context {
  rt: Runtime;
  /** Every user's data is scoped to a project; authentication will set it. */
  projectId: string;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // Internal errors reach the log, never the user: no stack traces in responses.
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const problems = error.cause instanceof TemplateInvalid ? (error.cause.problems as TemplateProblem[]) : undefined;
    // Input that fails its schema: one readable line per field, not the validator's raw JSON.
    const issues = error.code === "BAD_REQUEST" ? (error.cause as { issues?: { path?: PropertyKey[]; message: string }[] } | undefined)?.issues : undefined;
    const invalidInput = issues?.length ? `Invalid input: ${issues.map((i) => `${i.path?.length ? i.path.map(String).join(".") : "(the input)"}: ${i.message}`).join("; ")}` : undefined;
    const tooLarge = error.code === "PAYLOAD_TOO_LARGE" ? `The request body is over ${formatBytes(inputLimits().maxRequestBytes)}, the most one request may send` : undefined;
    return {
      message: internal ? "Internal error; see the server log." : (invalidInput ?? tooLarge ?? shape.message),
      code: shape.code,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...(problems ? { problems } : {}) },
    };
  },
});

/** Domain errors become the matching API errors; anything else is internal. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof NotFound) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
    if (cause instanceof InvalidRequest) throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
    if (cause instanceof TemplateInvalid) throw new TRPCError({ code: "BAD_REQUEST", message: `The template is not valid:\n${cause.message}`, cause });
    if (cause instanceof OperationRefused) throw new TRPCError({ code: "CONFLICT", message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(domainErrors);
