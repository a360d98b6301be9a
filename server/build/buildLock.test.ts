import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { projectRoot } from "../store/schemaFiles";
import { holdingBuildLock, lockPath } from "./buildLock";

describe("one UI build at a time in a checkout", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-lock-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("a second process waits for the first to finish, told who holds the lock", async () => {
    const steps: string[] = [];
    // Another process's lock: this test's parent (alive) stands for it.
    fs.writeFileSync(lockPath(root), String(process.ppid));
    const waiting: number[] = [];
    const second = holdingBuildLock(root, () => steps.push("second builds"), (holder) => waiting.push(holder));
    await new Promise((r) => setTimeout(r, 600));
    steps.push("first done");
    fs.rmSync(lockPath(root));
    await second;
    expect(steps).toEqual(["first done", "second builds"]);
    expect(waiting).toEqual([process.ppid]);
    expect(fs.existsSync(lockPath(root))).toBe(false);
  });

  it("takes over at once a lock whose process died mid-build", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    fs.writeFileSync(lockPath(root), String(dead));
    const started = performance.now();
    await holdingBuildLock(root, () => expect(fs.readFileSync(lockPath(root), "utf8")).toBe(String(process.pid)));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("lets go of the lock when the build fails", async () => {
    await expect(
      holdingBuildLock(root, () => {
        throw new Error("next build failed");
      }),
    ).rejects.toThrow("next build failed");
    expect(fs.existsSync(lockPath(root))).toBe(false);
  });
});

describe("npm start's build step", () => {
  it("does not build the UI for a worker, which serves none", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "server/build/buildIfStale.ts"], {
      cwd: projectRoot,
      env: { ...process.env, KILN_ROLE: "worker" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect({ status: run.status, said: run.stderr.trim() }).toEqual({ status: 0, said: "kiln: this process serves no UI; not building it" });
  });
});
