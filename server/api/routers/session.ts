import { signedInProcedure, router } from "../trpc";

export const sessionRouter = router({
  /** Who is signed in, the projects they may act in, and the one this request acts in. */
  whoami: signedInProcedure.query(({ ctx: { caller, identity } }) => ({
    userName: caller.userName,
    /** Whether users, projects and passwords are Kiln's own to manage (not Keystone's). */
    managesUsers: identity.signInKind.identity === "built-in",
    isAdmin: caller.isAdmin,
    projects: caller.projects,
    project: caller.project ?? null,
  })),
});
