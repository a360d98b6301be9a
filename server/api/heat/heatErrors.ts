/**
 * Heat's error body, as its fault middleware writes it: the HTTP status's code, title and
 * explanation, and the error's type and message. Heat's `traceback` is always null here:
 * internals go to the log, never to the caller.
 */
import { DuplicateStackName, InvalidRequest, InvalidSignal, OperationRefused, StoredDataUnreadable, TemplateInvalid } from "../../engine/errors";
import { IdentityUnavailable } from "../../identity/identity";
import { NotFound } from "../../services/stacks";

/** The title and explanation HTTP libraries give each status (what Heat's clients expect to see). */
const STATUS_TEXT: Record<number, [string, string]> = {
  400: ["Bad Request", "The server could not comply with the request since it is either malformed or otherwise incomplete."],
  401: ["Unauthorized", "This server could not verify that you are authorized to access the document you requested."],
  403: ["Forbidden", "Access was denied to this resource."],
  404: ["Not Found", "The resource could not be found."],
  405: ["Method Not Allowed", "The method is not allowed for this resource."],
  409: ["Conflict", "There was a conflict when trying to complete your request."],
  413: ["Request Entity Too Large", "The body of your request was too large for this server."],
  415: ["Unsupported Media Type", "The request media type is not supported by this server."],
  429: ["Too Many Requests", "The client has sent too many requests in a given amount of time."],
  500: ["Internal Server Error", "The server has either erred or is incapable of performing the requested operation."],
  503: ["Service Unavailable", "The server is currently unavailable. Please try again at a later time."],
};

/** An answer other than success: `type` names the kind of error as Heat's exception names do. */
export class HeatError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Extra headers (Retry-After, Allow). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function heatErrorBody(status: number, type: string, message: string) {
  const [title, explanation] = STATUS_TEXT[status] ?? STATUS_TEXT[500]!;
  return { code: status, title, explanation, error: { type, message, traceback: null } };
}

/** Kiln's domain errors as Heat's; undefined for anything else (an internal error). */
export function asHeatError(e: unknown): HeatError | undefined {
  if (e instanceof HeatError) return e;
  if (e instanceof NotFound) return new HeatError(404, "EntityNotFound", e.message);
  if (e instanceof TemplateInvalid) return new HeatError(400, "StackValidationFailed", `The template is not valid:\n${e.message}`);
  if (e instanceof InvalidRequest) return new HeatError(400, "InvalidRequest", e.message);
  if (e instanceof DuplicateStackName) return new HeatError(409, "StackExists", e.message);
  if (e instanceof OperationRefused) return new HeatError(409, "ActionInProgress", e.message);
  if (e instanceof InvalidSignal) return new HeatError(400, "InvalidSignal", e.message);
  if (e instanceof IdentityUnavailable) return new HeatError(503, "IdentityUnavailable", e.message);
  if (e instanceof StoredDataUnreadable) return new HeatError(503, "StoredDataUnreadable", e.message);
  return undefined;
}
