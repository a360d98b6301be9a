import type http from "node:http";

/** A request's body as text, or undefined once it is over `maxBytes` (the rest is not read). */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | undefined> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > maxBytes) return undefined;
  }
  return body;
}
