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

/** A JSON body as a signal sends it: an empty body is `{}`; otherwise it must parse. */
export type JsonBody = { ok: true; value: unknown } | { ok: false; problem: "too large" | "not JSON" };

export async function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const text = await readBody(req, maxBytes);
  if (text === undefined) return { ok: false, problem: "too large" };
  if (!text.trim()) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: "not JSON" };
  }
}
