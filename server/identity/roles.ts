/**
 * Roles a user holds in a project, weakest first: each one can do what the ones before it can.
 *   reader  sees the project's stacks
 *   member  changes them (create, update, delete, cancel, check)
 *   admin   manages users, and acts in every project (an admin anywhere is an admin everywhere)
 */
export const ROLES = ["reader", "member", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** True when `held` allows what `needed` allows. */
export const roleAllows = (held: Role, needed: Role) => ROLES.indexOf(held) >= ROLES.indexOf(needed);
