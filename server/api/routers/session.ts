import { signedInProcedure, router } from "../trpc";

export const sessionRouter = router({
  /** Who is signed in, the projects they may act in, and the one this request acts in. */
  whoami: signedInProcedure.query(({ ctx: { caller } }) => ({
    userName: caller.userName,
    isAdmin: caller.isAdmin,
    projects: caller.projects,
    project: caller.project ?? null,
  })),
});
