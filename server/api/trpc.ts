/**
 * tRPC setup: the context every procedure receives, the initialiser, and the procedure
 * builders, one per level of access: every procedure is built from the one naming what it
 * needs (a test checks each against callers of every kind). Routers live in ./routers, one
 * per entity, merged in ./root.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { InvalidRequest, OperationRefused, StoredDataUnreadable, TemplateInvalid } from "../engine/errors";
import { formatBytes, inputLimits } from "../engine/limits";
import { NotFound } from "../services/stacks";
import { IdentityUnavailable, ManagedElsewhere, type Caller, type Identity } from "../identity/identity";
import type { ProjectRateLimit } from "../identity/projectRateLimit";
import { roleAllows, type Role } from "../identity/roles";
import type { Runtime } from "../services/runtime";
import type { TemplateProblem } from "../services/templates";

export interface Context {
  rt: Runtime;
  /** Who is calling, from the session cookie or bearer token; undefined when nobody signed in. */
  caller: Caller | undefined;
  identity: Identity;
  /** Limits the changes a project makes per minute; absent: no limit. */
  changes?: ProjectRateLimit;
}

/**
 * What a procedure needs: a signed-in user (in any project or none), or a role in the project
 * the request acts in (every read and change of a project's data). Signing in itself is not a
 * procedure (identity/sessionRoutes.ts), so no procedure is open to all.
 */
export type ProcedureAccess = "signedIn" | Role;

export interface Meta {
  access: ProcedureAccess;
  /** A mutation only because its input is large (validate, preview): not counted as a change. */
  changesNothing?: boolean;
}

const t = initTRPC.context<Context>().meta<Meta>().create({
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
    if (cause instanceof ManagedElsewhere) throw new TRPCError({ code: "FORBIDDEN", message: cause.message, cause });
    if (cause instanceof IdentityUnavailable) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: cause.message, cause });
    if (cause instanceof StoredDataUnreadable) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: cause.message, cause });
  }
  return result;
});

const signInFirst = "Sign in first: open the UI's login page, or run kiln login (or set KILN_TOKEN, or KILN_USERNAME and KILN_PASSWORD)";

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: "UNAUTHORIZED", message: signInFirst });
  return next({ ctx: { caller: ctx.caller } });
});

/**
 * The caller's role in the request's project must allow `role`; the procedure then sees that
 * project's data only. A change (mutation) also takes one of the project's changes per minute.
 */
const inProject = (role: Role) =>
  signedIn.unstable_pipe(async ({ ctx, type, meta, next }) => {
    const project = ctx.caller.project;
    if (!project) throw new TRPCError({ code: "FORBIDDEN", message: ctx.caller.projectProblem ?? "No project" });
    if (!roleAllows(project.role, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${role} role in project "${project.name}"; you are a ${project.role} there` });
    }
    const wait = type === "mutation" && !meta?.changesNothing ? ((await ctx.changes?.take(project.id)) ?? 0) : 0;
    if (wait > 0) {
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `Project "${project.name}" has made ${ctx.changes!.perMinute} changes in the last minute, the most it may (KILN_CHANGES_PER_MINUTE); try again in ${wait} s`,
      });
    }
    return next({ ctx: { projectId: project.id, project } });
  });

const base = t.procedure.use(domainErrors);

export const router = t.router;
const needing = (role: Role) => base.meta({ access: role }).use(inProject(role));

export const signedInProcedure = base.meta({ access: "signedIn" }).use(signedIn);
export const readerProcedure = needing("reader");
export const memberProcedure = needing("member");
export const adminProcedure = needing("admin");
