/**
 * A value that cannot be known until deployment (a physical resource id, an attribute).
 * Validation treats it as "could be anything" and skips value checks on it.
 */
export class Unresolved {
  constructor(readonly description: string) {}
}

export const isUnresolved = (value: unknown): value is Unresolved => value instanceof Unresolved;
