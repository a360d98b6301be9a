/**
 * tRPC setup: the context every procedure receives, the initialiser, and the reusable
 * procedure builders. Routers live in ./routers, one per entity, merged in ./root.ts.
 */
import { initTRPC } from "@trpc/server";
import type { Database } from "../store/database";
import type { Logger } from "../log";

export interface Services {
  db: Database;
  log: Logger;
}

export interface Context extends Services {
  /** Every user's data is scoped to a project; authentication will set it. */
  projectId: string;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // Internal errors reach the log, never the user: no stack traces in responses.
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal ? "Internal error; see the server log." : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
