import { installFunctions, type FunctionSpec } from "../evaluate";
import { collectionFunctions } from "./collections";
import { conditionalFunctions } from "./conditionals";
import { referenceFunctions } from "./references";
import { stringFunctions } from "./strings";

/** Every implemented function by name; which ones a template may use depends on its version (versions.ts). */
export const functionSpecs: Record<string, FunctionSpec> = {
  ...stringFunctions,
  ...collectionFunctions,
  ...referenceFunctions,
  ...conditionalFunctions,
};

installFunctions(functionSpecs);
