import type { Database } from "../../store/database";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { CloudCredentials } from "../../clouds/credentials";
import { InvalidRequest } from "../../engine/errors";
import { cloudView, credentialsFromEntry, verifyCredentials } from "../../clouds/projectClouds";
import { SignInThrottle } from "../../identity/signInThrottle";
import { memberProcedure, readerProcedure, router } from "../trpc";

const field = z.union([z.string().max(1000), z.number()]);

/** A clouds.yaml entry: its `auth` and the settings beside it Kiln takes. */
const cloudEntry = z.object({
  auth: z.record(z.string().max(100), field).refine((a) => Object.keys(a).length <= 30, "at most 30 fields"),
  region_name: z.string().max(200).optional(),
  interface: z.string().max(20).optional(),
  auth_type: z.string().max(100).optional(),
});

/**
 * Credentials that failed their check (Keystone refused them, or did not answer), counted as failed sign-ins are: per Kiln project, and per
 * Keystone user (auth URL and user, from any project). Past the limit a project's checks are
 * refused before Keystone is asked, so Kiln is no tool for guessing passwords, nor for locking
 * a Keystone user (the server's own, say) out by failures.
 */
const keystoneUser = (c: CloudCredentials) => {
  const a = c.auth;
  return `${c.authUrl} ${a.kind === "password" ? (a.username ?? a.userId) : (a.id ?? a.name)} ${a.userDomainName ?? a.userDomainId ?? ""}`;
};

/** Asks Keystone, unless this project or this Keystone user has had too many refusals of late. */
async function verifiedFor(db: Database, projectId: string, credentials: CloudCredentials, allowInternal: boolean) {
  const refused = new SignInThrottle(db, "cloud-credentials");
  const user = keystoneUser(credentials);
  const wait = await refused.waitSeconds(projectId, user);
  if (wait > 0) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many credentials given for this project (or for this Keystone user) failed their check of late; try again in ${wait} s` });
  try {
    const verified = await verifyCredentials(credentials, { allowInternal });
    await refused.succeeded(user);
    return verified;
  } catch (e) {
    if (e instanceof InvalidRequest) await refused.failed(projectId, user);
    throw e;
  }
}

/**
 * The OpenStack credentials of the caller's project: its readers see them without the secret,
 * its members (and admins) set, test and remove them. Another project's caller only ever
 * reaches its own project's.
 */
export const cloudRouter = router({
  /** The project's own credentials (null when it has none), and the server's cloud it otherwise acts in. */
  show: readerProcedure.query(async ({ ctx }) => {
    const own = await ctx.rt.projectClouds.get(ctx.projectId);
    return { own: own ? cloudView(own.credentials, own.updatedAt) : null, serverCloud: ctx.rt.clouds?.serverCloudLabel ?? null };
  }),

  /** Checks the entry against Keystone, then keeps it: refused with Keystone's own words, nothing changed. */
  set: memberProcedure.input(z.object({ entry: cloudEntry })).mutation(async ({ ctx, input }) => {
    const credentials = credentialsFromEntry(input.entry);
    const { projectId } = await verifiedFor(ctx.rt.db, ctx.projectId, credentials, ctx.rt.authUrlAllowInternal);
    const updatedAt = await ctx.rt.projectClouds.put(ctx.projectId, credentials);
    return { ...cloudView(credentials, updatedAt), openstackProjectId: projectId };
  }),

  /** Asks Keystone for a token with the entry given, or with the stored credentials when none is; keeps nothing. */
  test: memberProcedure
    .input(z.object({ entry: cloudEntry.optional() }).default({}))
    .mutation(async ({ ctx, input }) => {
      const credentials = input.entry ? credentialsFromEntry(input.entry) : (await ctx.rt.projectClouds.get(ctx.projectId))?.credentials;
      if (!credentials) throw new InvalidRequest("This project has no OpenStack credentials of its own to test; give an entry");
      return { openstackProjectId: (await verifiedFor(ctx.rt.db, ctx.projectId, credentials, ctx.rt.authUrlAllowInternal)).projectId };
    }),

  /** The project acts in the server's cloud again (or in none); work already started takes the change at its next step. */
  unset: memberProcedure.mutation(async ({ ctx }) => ({ removed: await ctx.rt.projectClouds.remove(ctx.projectId) })),
});
