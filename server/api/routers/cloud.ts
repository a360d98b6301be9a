import { z } from "zod";
import { InvalidRequest } from "../../engine/errors";
import { cloudView, credentialsFromEntry, verifyCredentials } from "../../clouds/projectClouds";
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
    const { projectId } = await verifyCredentials(credentials, { allowInternal: ctx.rt.authUrlAllowInternal });
    const updatedAt = await ctx.rt.projectClouds.put(ctx.projectId, credentials);
    return { ...cloudView(credentials, updatedAt), openstackProjectId: projectId };
  }),

  /** Asks Keystone for a token with the entry given, or with the stored credentials when none is; keeps nothing. */
  test: memberProcedure
    .input(z.object({ entry: cloudEntry.optional() }).default({}))
    .mutation(async ({ ctx, input }) => {
      const credentials = input.entry ? credentialsFromEntry(input.entry) : (await ctx.rt.projectClouds.get(ctx.projectId))?.credentials;
      if (!credentials) throw new InvalidRequest("This project has no OpenStack credentials of its own to test; give an entry");
      return { openstackProjectId: (await verifyCredentials(credentials, { allowInternal: ctx.rt.authUrlAllowInternal })).projectId };
    }),

  /** The project acts in the server's cloud again (or in none); work already started takes the change at its next step. */
  unset: memberProcedure.mutation(async ({ ctx }) => ({ removed: await ctx.rt.projectClouds.remove(ctx.projectId) })),
});
