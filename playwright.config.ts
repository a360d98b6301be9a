import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";
import { ADMIN_SESSION, E2E_ADMIN_PASSWORD } from "./e2e/auth";
import { cloudEnv, cloudSkipped } from "./server/clouds/testing/testCloud";
import { serverNodeFlags } from "./server/nodeFlags.mjs";

// The suite runs against a real Kiln server (built, embedded SQLite in a throw-away file) in
// Debian's Chromium; Playwright's browser download is not available on these machines.
// E2E_PORT chooses the port; else the system gives a free one. The choice goes into the
// environment, so Playwright's worker processes, which load this file again, use the same port.
process.env.E2E_PORT ||= execFileSync(process.execPath, ["-e", "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"], { encoding: "utf8" }).trim();
const port = Number(process.env.E2E_PORT);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  // What a test waits for on the page: 5 s (Playwright's default) is short on a 2-core machine
  // also running the server, the minicloud and a build; nothing here should take 1 s when quiet.
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  // Every test runs signed in as the admin, unless it says otherwise (e2e/identity.spec.ts).
  globalSetup: "./e2e/globalSetup.ts",
  use: {
    baseURL: `http://localhost:${port}`,
    storageState: ADMIN_SESSION,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `rm -rf data/e2e && node --import tsx server/build/buildIfStale.ts && node ${serverNodeFlags.join(" ")} --import tsx server/main.ts`,
    url: `http://localhost:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    // The server acts in the test cloud (the minicloud unless OS_CLOUD / OS_* name another), as the cloud tests do.
    env: {
      PORT: String(port),
      DATABASE_URL: "file:./data/e2e/kiln.db",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      KILN_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      // The minicloud's Keystone is on 127.0.0.1, an internal address a project's auth_url may not name by default.
      KILN_AUTH_URL_ALLOW_INTERNAL: "1",
      ...(cloudSkipped ? {} : cloudEnv()),
    },
  },
});
