/**
 * The errors the engine throws for a caller to answer: each says what was wrong in words for
 * the user, and the API layers map each class to one status (tRPC in api/trpc.ts, Heat's API
 * in api/heat/heatErrors.ts, the signal routes in httpRoutes.ts).
 */
import type { Diagnostic } from "./diagnostics";

/** A template that does not load, with every problem found. */
export class TemplateInvalid extends Error {
  constructor(readonly problems: Diagnostic[]) {
    super(problems.map((p) => `${p.file && p.path ? `${p.file}: ` : ""}${p.path || p.file || "template"}${p.line ? ` (${p.line}:${p.column})` : ""}: ${p.message}`).join("\n"));
  }
}

/** A request the engine refuses, with a message for the user (the stack is not changed). */
export class OperationRefused extends Error {}

/** A refused request whose input itself is wrong (an invalid stack name, say): the caller's mistake, not the stack's state. */
export class InvalidRequest extends OperationRefused {}

/** The project has a stack of that name already: refused (a conflict), whether a read found it first or the store's unique index did. */
export class DuplicateStackName extends OperationRefused {
  constructor(readonly stackName: string) {
    super(`A stack named "${stackName}" already exists`);
  }
}

/** A signal whose token is wrong: answered 401, never a hint about the handle. */
export class SignalRefused extends Error {}

/** A signal body that is not a signal: answered 400. */
export class InvalidSignal extends Error {}

/** A report that is not a JSON object: answered 400. */
export class InvalidDeploymentSignal extends Error {}

/**
 * Stored data this server cannot read: a sealed column its secret key does not open (the key is
 * not the one that sealed it, or the row was altered). Retrying never helps: a job that meets it
 * fails what it converges at once, and the API answers 503 with this message.
 */
export class StoredDataUnreadable extends Error {}
