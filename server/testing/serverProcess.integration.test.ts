import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-orphan-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("a test server exits when the test process that started it is killed by a signal (no exit handler runs)", async () => {
  const script = `
    import { startServer } from "./server/testing/serverProcess.ts";
    const server = await startServer(${JSON.stringify(`file:${path.join(dir, "kiln.db")}`)}, { KILN_DATA_DIR: ${JSON.stringify(dir)} });
    console.log("SERVER " + server.child.pid);
    setInterval(() => {}, 1000);
  `;
  const test = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const serverPid = await new Promise<number>((resolve, reject) => {
    let out = "";
    test.stdout!.on("data", (c: Buffer) => {
      out += c;
      const m = /SERVER (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    test.once("exit", (code) => reject(new Error(`the test process exited (${code}) first: ${out}`)));
  });
  expect(alive(serverPid)).toBe(true);
  test.kill("SIGKILL");
  await expect.poll(() => alive(serverPid), { timeout: 10_000 }).toBe(false);
}, 60_000);
