import { z } from "zod";
import { resourceTypes } from "../../services/templates";
import { NotFound } from "../../services/stacks";
import { signedInProcedure, router } from "../trpc";

export const resourceTypesRouter = router({
  list: signedInProcedure
    .input(z.object({ name: z.string().optional(), withDescription: z.boolean().default(false) }).default({ withDescription: false }))
    .query(({ input }) => {
      try {
        return resourceTypes.list({ name: input.name, withDescription: input.withDescription });
      } catch {
        throw new NotFound(`"${input.name}" is not a valid regular expression`);
      }
    }),

  show: signedInProcedure.input(z.object({ type: z.string().min(1) })).query(({ input }) => {
    const type = resourceTypes.show(input.type, { withDescription: true });
    if (!type) throw new NotFound(`Resource type "${input.type}" not found`);
    return type;
  }),
});
