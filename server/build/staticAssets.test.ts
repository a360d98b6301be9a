import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressedStaticAssets } from "./staticAssets";

const SCRIPT = `console.log(${JSON.stringify("a chunk ".repeat(2000))});\n`;

describe("the UI's built assets, compressed once", () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  /** What reached Next instead. */
  const passed: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-static-"));
    fs.mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "static", "chunks", "app-1a2b.js"), SCRIPT);
    fs.writeFileSync(path.join(dir, "static", "chunks", "font.woff2"), "not compressible");
    fs.writeFileSync(path.join(dir, "secret.js"), "outside the static directory");
    const handler = compressedStaticAssets(path.join(dir, "static"), (req, res) => {
      passed.push(req.url ?? "");
      res.writeHead(404).end("from next");
    });
    server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
  const get = (url: string, headers: Record<string, string>, method = "GET") =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      // The path as given: a URL would resolve its dot segments.
      const req = http.request({ host: "127.0.0.1", port: new URL(base).port, path: url, method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      });
      req.on("error", reject);
      req.end();
    });

  it("sends brotli to a browser that takes it, gzip to one that takes only that, as immutable and varying by encoding", async () => {
    const br = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.status).toBe(200);
    expect(br.headers).toMatchObject({ "content-encoding": "br", "content-type": "application/javascript; charset=UTF-8", vary: "Accept-Encoding", "cache-control": "public, max-age=31536000, immutable" });
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 10);
    const gzip = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "gzip, br;q=0" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(SCRIPT);
    // The client's preference holds, whatever the case of its parameters.
    expect((await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br;Q=0, gzip" })).headers["content-encoding"]).toBe("gzip");
    expect((await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br;q=0.1, gzip;q=1" })).headers["content-encoding"]).toBe("gzip");
    // A browser that has it asks whether it changed: it did not.
    const unchanged = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br", "if-none-match": br.headers.etag! });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    const head = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br" }, "HEAD");
    expect(head.headers["content-length"]).toBe(String(br.body.length));
    expect(head.body.length).toBe(0);
    expect(passed).toEqual([]);
  });

  it("compresses a file once: later requests get the bytes made the first time", async () => {
    const first = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br" });
    fs.writeFileSync(path.join(dir, "static", "chunks", "app-1a2b.js"), "changed under its name, which a build never does");
    const again = await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br" });
    expect(again.body.equals(first.body)).toBe(true);
    fs.writeFileSync(path.join(dir, "static", "chunks", "app-1a2b.js"), SCRIPT);
  });

  it("leaves to Next what it does not compress: no encoding taken, a range, a font, a missing file, a path out of the directory", async () => {
    passed.length = 0;
    expect((await get("/_next/static/chunks/app-1a2b.js", {})).body.toString()).toBe("from next");
    await get("/_next/static/chunks/app-1a2b.js", { "accept-encoding": "br", range: "bytes=0-10" });
    await get("/_next/static/chunks/font.woff2", { "accept-encoding": "br" });
    await get("/_next/static/chunks/missing.js", { "accept-encoding": "br" });
    const out = await get("/_next/static/%2e%2e/secret.js", { "accept-encoding": "br" });
    expect(out.body.toString()).toBe("from next");
    await get("/_next/static/chunks/%E0%A4%A.js", { "accept-encoding": "br" });
    await get("/api/trpc/stacks.list", { "accept-encoding": "br" });
    expect(passed).toEqual([
      "/_next/static/chunks/app-1a2b.js",
      "/_next/static/chunks/app-1a2b.js",
      "/_next/static/chunks/font.woff2",
      "/_next/static/chunks/missing.js",
      "/_next/static/%2e%2e/secret.js",
      "/_next/static/chunks/%E0%A4%A.js",
      "/api/trpc/stacks.list",
    ]);
  });
});
