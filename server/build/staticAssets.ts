/**
 * The UI's built scripts and styles (/_next/static/…), compressed once and kept. Next compresses
 * each response again as it sends it: a 360 KB chunk took 43 ms of gzip, for every browser that
 * did not have it yet, on the way to the page's first paint. Their names carry a hash of their
 * content, so a file never changes under its name: each is compressed the first time it is asked
 * for, and those bytes serve every later request. Anything else (a Range request, a client that
 * takes neither brotli nor gzip, a type that is compressed already, a file not there) goes to
 * Next as before. Anyone may fetch them, signed in or not, as from Next: the login page needs
 * them, and they hold no data (pageGate.ts lets /_next/ through).
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

const PREFIX = "/_next/static/";

/** The types worth compressing; images and fonts are compressed already. */
const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
};

/** Brotli at quality 5: smaller than gzip's best and as quick (15 ms for React's 230 KB here); 9 and 11 took 12 and 35 times as long. */
const ENCODERS = {
  br: (b: Buffer) => promisify(zlib.brotliCompress)(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
  gzip: (b: Buffer) => promisify(zlib.gzip)(b),
};
type Encoding = keyof typeof ENCODERS;

/** The most kept at once, compressed: far above a build's (about 1 MB), so only a runaway would reach it. */
const MAX_KEPT_BYTES = 64 * 2 ** 20;

/** Which of ours the client prefers (by its q-values, brotli on a tie); undefined when it takes neither. */
function encodingFor(req: http.IncomingMessage): Encoding | undefined {
  const weights = new Map<string, number>();
  for (const part of String(req.headers["accept-encoding"] ?? "").toLowerCase().split(",")) {
    const [name, ...params] = part.split(";").map((p) => p.trim());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const br = weights.get("br") ?? 0;
  const gzip = weights.get("gzip") ?? 0;
  return br > 0 && br >= gzip ? "br" : gzip > 0 ? "gzip" : undefined;
}

interface Compressed {
  body: Buffer;
  /** The entity tag's opaque part, of the file's own bytes; sent weak, since the brotli and gzip bodies of one file are the same content, not the same bytes. */
  tag: string;
}

export function compressedStaticAssets(staticDir: string, fallback: Handler): Handler {
  const root = path.resolve(staticDir);
  const kept = new Map<string, Promise<Compressed | undefined>>();
  let keptBytes = 0;

  /** The file's compressed bytes, made once; undefined when it is not a file under the root. */
  const compressed = (file: string, encoding: Encoding): Promise<Compressed | undefined> => {
    const key = `${encoding}:${file}`;
    let body = kept.get(key);
    if (!body) {
      body = fs
        .readFile(file)
        .then(async (raw) => {
          const bytes = await ENCODERS[encoding](raw);
          keptBytes += bytes.length;
          return { body: bytes, tag: `"${createHash("sha256").update(raw).digest("base64url").slice(0, 27)}"` };
        })
        .catch(() => {
          // Not kept: names that are not files (anyone may ask for any) must not fill the map.
          kept.delete(key);
          return undefined;
        });
      if (keptBytes < MAX_KEPT_BYTES) kept.set(key, body);
    }
    return body;
  };

  return async (req, res) => {
    const encoding = (req.method === "GET" || req.method === "HEAD") && !req.headers.range ? encodingFor(req) : undefined;
    const url = req.url ?? "";
    const type = TYPES[path.extname(url.split("?")[0]!)];
    if (!encoding || !type || !url.startsWith(PREFIX)) return fallback(req, res);
    let relative: string;
    try {
      relative = decodeURIComponent(url.slice(PREFIX.length).split("?")[0]!);
    } catch {
      return fallback(req, res);
    }
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep) || relative.includes("\0")) return fallback(req, res);
    const made = await compressed(file, encoding);
    if (!made) return fallback(req, res);
    // As Next sends them: a name that never changes its content.
    const cache = { etag: `W/${made.tag}`, vary: "Accept-Encoding", "cache-control": "public, max-age=31536000, immutable" };
    const asked = String(req.headers["if-none-match"] ?? "");
    if (asked === "*" || asked.split(",").some((tag) => tag.trim().replace(/^W\//, "") === made.tag)) return void res.writeHead(304, cache).end();
    res.writeHead(200, { ...cache, "content-type": type, "content-encoding": encoding, "content-length": made.body.length });
    res.end(req.method === "HEAD" ? undefined : made.body);
  };
}
