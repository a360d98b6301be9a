import { validateTemplate } from "../../services/templates";
import { templateInput } from "../inputs";
import { readerProcedure, router } from "../trpc";

export const templatesRouter = router({
  /** Validation is a read: a mutation only so large templates travel in a POST body. */
  validate: readerProcedure.meta({ access: "reader", changesNothing: true }).input(templateInput).mutation(({ input, ctx }) => validateTemplate(input, ctx.rt.limits)),
});
