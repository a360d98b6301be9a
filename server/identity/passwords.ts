/** Password hashing, by bcrypt (bcryptjs: pure JavaScript, nothing to build or download). */
import bcrypt from "bcryptjs";

/** 2^12 rounds: about a quarter of a second here, spent on each sign-in and nothing else. */
const COST = 12;

/** bcrypt reads no further than this; longer passwords are refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

/** A hash nobody knows the password of, compared against when the user does not exist, so an unknown name takes as long as a wrong password. */
let nobody: Promise<string> | undefined;

/** Checks a password against a stored hash, or, when there is no user, takes the same time and says no. */
export async function passwordMatches(password: string, hash: string | undefined): Promise<boolean> {
  nobody ??= bcrypt.hash("no such user", COST);
  const matches = await bcrypt.compare(password, hash ?? (await nobody));
  return matches && hash !== undefined;
}
