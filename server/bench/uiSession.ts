/**
 * What the browser figures share: the production build checked, a real server (UI included)
 * on a throw-away SQLite file in a child process, and Debian's headless Chromium; both are
 * stopped and the file removed whatever happens, a failed browser launch included.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { SESSION_COOKIE } from "../identity/credentials";
import { startServer, type ServerProcess } from "../testing/serverProcess";

export type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Runs `fn` with a server and a browser; false (and a line on stderr) when there is no build. */
export async function withUiSession(label: string, fn: (server: ServerProcess, browser: Browser) => Promise<void>): Promise<boolean> {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error(`${label} skipped: run \`npm run build\` first`);
    return false;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-ui-"));
  const server = await startServer(`file:${path.join(dir, "kiln.db")}`, { KILN_NO_UI: "0" });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    await fn(server, browser);
  } finally {
    await browser?.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return true;
}

/** A page of a browser signed in as the server's admin (its session token, as the browser's cookie). */
export function signedInPage(server: ServerProcess, browser: Browser): Promise<Page> {
  const cookie = { name: SESSION_COOKIE, value: server.token, domain: new URL(server.url).hostname, path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" as const };
  return browser.newPage({ viewport: { width: 1920, height: 1080 }, storageState: { cookies: [cookie], origins: [] } });
}
