import { z } from "zod";
import { resourceTypes } from "../../services/templates";
import { InvalidRequest } from "../../engine/errors";
import { PatternTooSlow } from "../../engine/userPattern";
import { NotFound } from "../../services/stacks";
import { signedInProcedure, router } from "../trpc";

export const resourceTypesRouter = router({
  list: signedInProcedure
    .input(z.object({ name: z.string().optional(), withDescription: z.boolean().default(false) }).default({ withDescription: false }))
    .query(({ input }) => {
      try {
        return resourceTypes.list({ name: input.name, withDescription: input.withDescription });
      } catch (e) {
        if (e instanceof PatternTooSlow) throw new InvalidRequest(`"${input.name}" takes too long to match (it backtracks too much); simplify it`);
        throw new NotFound(`"${input.name}" is not a valid regular expression`);
      }
    }),

  show: signedInProcedure.input(z.object({ type: z.string().min(1) })).query(({ input }) => {
    const type = resourceTypes.show(input.type, { withDescription: true });
    if (!type) throw new NotFound(`Resource type "${input.type}" not found`);
    return type;
  }),
});
