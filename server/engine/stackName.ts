/** Which names a stack may have: Heat's rule, checked by the engine and shown by the forms as the user types. */
const STACK_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

/** Why a name cannot be a stack's, as a sentence about it; undefined when it can. */
export function stackNameProblem(name: string): string | undefined {
  return STACK_NAME.test(name) ? undefined : `A stack name must start with a letter and contain only letters, digits, "_", "-" and "." (at most 255 characters)`;
}
