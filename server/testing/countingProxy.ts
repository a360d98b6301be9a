/**
 * A tiny HTTP proxy in front of a real service (Keystone), for tests that must see how often
 * Kiln asks it, or what Kiln does when it stops answering: `requests` counts what passed,
 * `down` makes it hang up on every request, `silent` makes it take requests and never answer;
 * `beforeAnswer` runs once the target has answered and before the answer is passed on (a test
 * kills the caller there: the service acted, the caller never heard).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
  /** The proxy's URL with the target's path, e.g. http://127.0.0.1:PORT/v3. */
  url: string;
  requests: { method: string; path: string }[];
  mode: "up" | "down" | "silent";
  beforeAnswer?: (request: { method: string; path: string }, status: number) => Promise<void> | void;
  close(): Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  const proxy: CountingProxy = { url: "", requests: [], mode: "up", close: async () => {} };
  const server = http.createServer((req, res) => {
    if (proxy.mode === "down") return void req.socket.destroy();
    if (proxy.mode === "silent") return;
    proxy.requests.push({ method: req.method ?? "GET", path: req.url ?? "/" });
    const forward = http.request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer) => {
      void Promise.resolve(proxy.beforeAnswer?.({ method: req.method ?? "GET", path: req.url ?? "/" }, answer.statusCode ?? 502)).then(() => {
        if (res.destroyed) return void answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${to.pathname.replace(/\/$/, "")}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
