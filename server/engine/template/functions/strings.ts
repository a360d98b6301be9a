import { createHash, getHashes } from "node:crypto";
import { FunctionError, type FunctionSpec } from "../evaluate";
import { asIndex, heatJson, heatString, isMapping, typeName } from "../values";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces all keys at once, longest first, so a replacement is never replaced again; `fits` sees the result's length before it is built. */
function replaceAll(template: string, params: Record<string, string>, fits: (length: number) => void): string {
  const keys = Object.keys(params).filter((k) => k !== "").sort((a, b) => b.length - a.length);
  if (keys.length === 0) return template;
  const pattern = new RegExp(keys.map(escapeRegExp).join("|"), "g");
  let length = template.length;
  for (const m of template.matchAll(pattern)) length += params[m[0]].length - m[0].length;
  fits(length);
  return template.replace(pattern, (m) => params[m]);
}

/** Length of `text` with every `key` replaced by `replacementLength` characters, without building it. */
export function lengthAfterReplacing(text: string, key: string, replacementLength: number): number {
  if (key === "") return text.length + Math.max(0, text.length - 1) * replacementLength; // split("") then join
  let count = 0;
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + key.length)) count++;
  return text.length + count * (replacementLength - key.length);
}

/** Items joined by `delim`, refused before joining when the result would be over the limit. */
function joined(items: string[], delim: string, fits: (length: number) => void): string {
  fits(items.reduce((n, s) => n + s.length, 0) + Math.max(0, items.length - 1) * delim.length);
  return items.join(delim);
}

const STR_REPLACE_FORM = `arguments must be a map with "template" (a string) and "params" (a map), e.g. {template: "Hello name", params: {name: world}}`;

const strReplace: FunctionSpec = {
  run(args, c) {
    if (!isMapping(args) || !("template" in args) || !("params" in args) || Object.keys(args).length !== 2) throw new FunctionError(STR_REPLACE_FORM);
    const template = c.known(args.template);
    const params = c.known(args.params);
    if (typeof template !== "string") throw new FunctionError(`"template" must be a string, not ${typeName(template)}`, "template");
    if (!isMapping(params)) throw new FunctionError(`"params" must be a map, not ${typeName(params)}`, "params");
    const text: Record<string, string> = {};
    for (const [key, raw] of Object.entries(params)) {
      const value = c.known(raw);
      if (c.variant === "str_replace:strings" && c.name === "str_replace") {
        if (typeof value !== "string" && typeof value !== "number") throw new FunctionError(`params must be strings or numbers; param ${key} is ${typeName(value)}`, `params.${key}`);
      } else c.knownDeep(value);
      if (c.name === "str_replace_vstrict" && (value === null || value === "")) {
        throw new FunctionError(`param ${key} has an undefined or empty value; every param must have a non-empty value`, `params.${key}`);
      }
      text[key] = typeof value === "object" && value !== null ? heatJson(value) : heatString(value);
    }
    if (c.name !== "str_replace") {
      const missing = Object.keys(text).filter((k) => !template.includes(k));
      if (missing.length > 0) throw new FunctionError(`these params were not found in the template: ${missing.join(", ")}`);
    }
    return replaceAll(template, text, c.fits);
  },
};

const strSplit: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length < 2 || args.length > 3) throw new FunctionError(`arguments must be [delimiter, string] or [delimiter, string, index]`);
    const [delim, str, idx] = args.map((a) => c.known(a));
    if (typeof delim !== "string" || delim === "") throw new FunctionError(`the delimiter must be a non-empty string`, 0);
    if (typeof str !== "string") throw new FunctionError(`the value to split must be a string, not ${typeName(str)}`, 1);
    const parts = str.split(delim);
    if (args.length === 2) return parts;
    const i = asIndex(idx);
    if (i === undefined || i < 0 || i >= parts.length) throw new FunctionError(`index ${heatString(idx)} is out of range; it must be between 0 and ${parts.length - 1}`, 2);
    return parts[i];
  },
};

const listJoin: FunctionSpec = {
  run(args, c) {
    const multiple = c.variant === "list_join:multiple";
    if (!Array.isArray(args) || args.length < 2 || (!multiple && args.length !== 2)) {
      throw new FunctionError(multiple ? `arguments must be [delimiter, list, (list, ...)]` : `arguments must be [delimiter, list]`);
    }
    const delim = c.known(args[0]);
    if (typeof delim !== "string") throw new FunctionError(`the delimiter must be a string`, 0);
    const items: string[] = [];
    args.slice(1).forEach((raw, n) => {
      const list = c.known(raw);
      if (list === null && multiple) return;
      if (!Array.isArray(list)) throw new FunctionError(`can only join lists; argument ${n + 1} is ${typeName(list)}`, n + 1);
      for (const item of list) {
        const v = c.knownDeep(item);
        if (typeof v === "string") items.push(v);
        else if (v === null) items.push("");
        else if (multiple && typeof v === "object") items.push(heatJson(v));
        else throw new FunctionError(`items to join must be ${multiple ? "strings, maps or lists" : "strings"}, not ${heatString(v)}`, n + 1);
      }
    });
    return joined(items, delim, c.fits);
  },
};

const DIGESTS: Record<string, string> = {
  md5: "md5", sha1: "sha1", sha224: "sha224", sha256: "sha256", sha384: "sha384", sha512: "sha512",
  sha3_224: "sha3-224", sha3_256: "sha3-256", sha3_384: "sha3-384", sha3_512: "sha3-512",
  sha512_224: "sha512-224", sha512_256: "sha512-256", blake2b: "blake2b512", blake2s: "blake2s256",
};
const availableDigests = () => {
  const node = new Set(getHashes());
  return Object.keys(DIGESTS).filter((k) => node.has(DIGESTS[k]));
};

const digest: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [algorithm, value], both strings`);
    const [alg, value] = args.map((a) => c.known(a));
    if (typeof alg !== "string" || typeof value !== "string") throw new FunctionError(`arguments must be [algorithm, value], both strings`);
    const algorithms = availableDigests();
    if (!algorithms.includes(alg)) throw new FunctionError(`algorithm must be one of ${algorithms.join(", ")}`, 0);
    return createHash(DIGESTS[alg]).update(value, "utf8").digest("hex");
  },
};

const URL_KEYS = ["scheme", "username", "password", "host", "port", "path", "query", "fragment"];
// Python's urllib quote keeps these unescaped in a path; encodeURIComponent escapes a few of them.
const quote = (s: string, safe: string) =>
  [...s].map((ch) => (/[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`))).join("");
const quotePlus = (s: string) => quote(s, " ").replace(/ /g, "+");

const makeUrl: FunctionSpec = {
  run(args, c) {
    const a = c.known(args);
    if (!isMapping(a)) throw new FunctionError(`arguments must be a map of URL parts (${URL_KEYS.join(", ")})`);
    const unknown = Object.keys(a).filter((k) => !URL_KEYS.includes(k));
    if (unknown.length > 0) throw new FunctionError(`invalid arguments: ${unknown.join(", ")}; allowed: ${URL_KEYS.join(", ")}`, unknown[0]);
    const part = (k: string): string | undefined => {
      const v = c.known(a[k]);
      if (v === undefined || v === null) return undefined;
      if (k === "query") return undefined;
      if (typeof v !== "string" && typeof v !== "number") throw new FunctionError(`"${k}" must be a string`, k);
      return String(v);
    };
    const scheme = part("scheme");
    let host = part("host") ?? "";
    if (host.includes(":") && !host.startsWith("[")) host = `[${host}]`;
    const username = part("username");
    const password = part("password");
    let netloc = host;
    if (username !== undefined) netloc = `${quote(username, "")}${password !== undefined ? `:${quote(password, "")}` : ""}@${netloc}`;
    const portRaw = part("port");
    if (portRaw !== undefined) {
      const port = asIndex(portRaw);
      if (port === undefined || port < 1 || port > 65535) throw new FunctionError(`invalid URL port ${portRaw}; it must be in the range 1-65535`, "port");
      netloc += `:${port}`;
    }
    let path = quote(part("path") ?? "", "/");
    if (netloc !== "" && path !== "" && !path.startsWith("/")) path = `/${path}`;
    const q = c.knownDeep(a.query);
    let query = "";
    if (q !== undefined && q !== null) {
      if (!isMapping(q)) throw new FunctionError(`"query" must be a map`, "query");
      query = Object.entries(q).map(([k, v]) => `${quotePlus(k)}=${quotePlus(heatString(v))}`).join("&");
    }
    const fragment = part("fragment");
    let url = scheme ? `${scheme}:` : "";
    if (netloc !== "" || scheme) url += `//${netloc}`;
    url += path;
    if (query) url += `?${query}`;
    if (fragment) url += `#${fragment}`;
    return url;
  },
};

// 2013-05-23's CloudFormation-style string functions.
const fnJoin: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [delimiter, list]`);
    const [delim, list] = args.map((a) => c.known(a));
    if (typeof delim !== "string") throw new FunctionError(`the delimiter must be a string`, 0);
    if (!Array.isArray(list)) throw new FunctionError(`can only join a list`, 1);
    const items = list.map((item) => {
      const v = c.known(item);
      if (v === null) return "";
      if (typeof v !== "string") throw new FunctionError(`items to join must be strings, not ${heatString(v)}`, 1);
      return v;
    });
    return joined(items, delim, c.fits);
  },
};

const fnSplit: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [delimiter, string]`);
    const [delim, str] = args.map((a) => c.known(a));
    if (typeof delim !== "string" || delim === "") throw new FunctionError(`the delimiter must be a non-empty string`, 0);
    if (typeof str !== "string") throw new FunctionError(`the value to split must be a string`, 1);
    return str.split(delim);
  },
};

const fnReplace: FunctionSpec = {
  run(args, c) {
    if (!Array.isArray(args) || args.length !== 2) throw new FunctionError(`arguments must be [{"key": "replacement"}, string]`);
    const [map, str] = args.map((a) => c.knownDeep(a));
    if (!isMapping(map)) throw new FunctionError(`the first argument must be a map of replacements`, 0);
    if (typeof str !== "string") throw new FunctionError(`the second argument must be a string`, 1);
    let out = str;
    for (const [k, v] of Object.entries(map)) {
      const replacement = heatString(v);
      c.fits(lengthAfterReplacing(out, k, replacement.length));
      out = out.split(k).join(replacement);
    }
    return out;
  },
};

// Heat's Fn::Base64 does not encode: the value passes through, and so it does here.
const fnBase64: FunctionSpec = {
  run(args, c) {
    const v = c.known(args);
    if (typeof v !== "string") throw new FunctionError(`the argument must be a string`);
    return v;
  },
};

export const stringFunctions: Record<string, FunctionSpec> = {
  str_replace: strReplace,
  str_replace_strict: strReplace,
  str_replace_vstrict: strReplace,
  str_split: strSplit,
  list_join: listJoin,
  digest,
  make_url: makeUrl,
  "Fn::Join": fnJoin,
  "Fn::Split": fnSplit,
  "Fn::Replace": fnReplace,
  "Fn::Base64": fnBase64,
};
