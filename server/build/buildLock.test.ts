import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { holdingBuildLock } from "./buildLock";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "a-checkout");

/** Another process holding `root`'s build lock for `ms` (forever when omitted); resolves once it holds it. */
async function holder(ms?: number): Promise<ChildProcess> {
  const script = `
    const { holdingBuildLock } = await import(${JSON.stringify(path.join(here, "buildLock.ts"))});
    await holdingBuildLock(${JSON.stringify(root)}, async () => {
      console.log("held");
      await new Promise((r) => setTimeout(r, ${ms ?? 3_600_000}));
    });`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  expect(String(line).trim()).toBe("held");
  return child;
}
const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill("SIGKILL")));

describe("one build at a time in a checkout", () => {
  it("a process waits, told so, while another builds, and builds once that one is done", async () => {
    const other = await holder(800);
    const exited = once(other, "exit").then(() => "other done");
    let told = 0;
    const mine = holdingBuildLock(root, () => "mine builds", { waiting: () => told++ });
    expect(await Promise.race([exited, mine])).toBe("other done");
    expect(await mine).toBe("mine builds");
    expect(told).toBe(1);
  });

  it("a build step killed by SIGKILL leaves no lock behind to wait for", async () => {
    const other = await holder();
    other.kill("SIGKILL");
    await once(other, "exit");
    const started = performance.now();
    expect(await holdingBuildLock(root, () => "built")).toBe("built");
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("a failed build lets go of the lock", async () => {
    await expect(
      holdingBuildLock(root, () => {
        throw new Error("next build failed");
      }),
    ).rejects.toThrow("next build failed");
    let told = 0;
    expect(await holdingBuildLock(root, () => "built", { waiting: () => told++ })).toBe("built");
    expect(told).toBe(0);
  });

  it("another checkout's build does not hold this one up", async () => {
    await holder();
    let told = 0;
    expect(await holdingBuildLock(path.join(here, "another-checkout"), () => "built", { waiting: () => told++ })).toBe("built");
    expect(told).toBe(0);
  });
});
