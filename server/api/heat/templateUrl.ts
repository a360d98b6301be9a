/**
 * Fetching a template (or environment) a request names by URL (Heat's `template_url`): only
 * http and https, within the file size limit and a time limit, and, unless the operator allows
 * it, never from a loopback, private or link-local address: the request would otherwise let
 * any caller make Kiln read its own network (the address is checked as the connection is made,
 * so a name that resolves differently later cannot slip past).
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { inputLimits, tooLargeMessage } from "../../engine/limits";
import { internalRefusal, isInternalAddress } from "../../net/internalAddress";
import { HeatError } from "./heatErrors";

const TIMEOUT_MS = 10_000;
const ALLOW_SETTING = "KILN_TEMPLATE_URL_ALLOW_INTERNAL";

const refused = (url: string, why: string) => new HeatError(400, "InvalidTemplateReference", `Could not retrieve template from ${url}: ${why}`);

export async function fetchTemplateUrl(url: string, opts: { allowInternal: boolean }): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused(url, "it is not a URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw refused(url, "only http and https URLs are fetched");
  const maxBytes = inputLimits().maxFileBytes;
  const lookup: net.LookupFunction = (host, options, callback) => {
    dns.lookup(host, { ...options, all: false }, (err, address, family) => {
      if (!err && !opts.allowInternal && isInternalAddress(address as string)) {
        return callback(refused(url, internalRefusal(host, address as string, ALLOW_SETTING)), "", 4);
      }
      callback(err, address as string, family);
    });
  };
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !opts.allowInternal && isInternalAddress(host)) throw refused(url, internalRefusal(host, host, ALLOW_SETTING));
  return new Promise<string>((resolve, reject) => {
    const get = parsed.protocol === "https:" ? https.get : http.get;
    const req = get(parsed, { lookup, timeout: TIMEOUT_MS, headers: { accept: "application/x-yaml, application/json, text/plain, */*" } }, (res) => {
      if ((res.statusCode ?? 500) >= 300) {
        res.resume();
        return reject(refused(url, `the server answered ${res.statusCode} (redirects are not followed)`));
      }
      let size = 0;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          reject(refused(url, tooLargeMessage("the template", maxBytes)));
        } else chunks.push(c);
      });
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", (e) => reject(refused(url, e.message)));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on("error", (e) => reject(e instanceof HeatError ? e : refused(url, e.message)));
  });
}
