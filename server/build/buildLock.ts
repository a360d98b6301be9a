/**
 * One build at a time in a checkout: processes started together on one machine (a `web` and a
 * `worker`, say) would each run `next build`, and Next refuses the second. The lock is a Unix
 * socket in Linux's abstract namespace, named after the checkout: the kernel lets go of it when
 * its process ends, however it ends, so a build killed midway leaves nothing behind to go stale.
 * Where there is no abstract namespace (not Linux), builds are not serialised, as before.
 */
import { createHash } from "node:crypto";
import net from "node:net";
import path from "node:path";

const POLL_MS = 250;

export const lockName = (root: string) => `\0kiln-build-${createHash("sha256").update(path.resolve(root)).digest("hex").slice(0, 24)}`;

/** Runs `work` holding the checkout's build lock, after waiting for any other holder to finish. */
export async function holdingBuildLock<T>(root: string, work: () => T | Promise<T>, onWait?: () => void): Promise<T> {
  let told = false;
  for (;;) {
    const lock = net.createServer();
    const taken = await new Promise<"held" | "busy" | "unsupported">((resolve) => {
      lock.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" ? "busy" : "unsupported"));
      lock.listen(lockName(root), () => resolve("held"));
    });
    if (taken === "unsupported") return work();
    if (taken === "held") {
      try {
        return await work();
      } finally {
        lock.close();
      }
    }
    if (!told) onWait?.();
    told = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
