/**
 * One build at a time in a checkout: processes started together on one machine (a `web` and a
 * `worker`, say) would each run `next build`, and Next refuses the second. The lock is a Unix
 * socket in Linux's abstract namespace, named after the checkout: the kernel lets go of it when
 * its process ends, however it ends, so a build killed midway leaves nothing behind to go stale.
 *
 * Its reach is the network namespace: containers sharing a checkout through a bind mount, each
 * in its own, are not serialised, nor are processes without an abstract namespace (not Linux).
 * A build step killed alone (not its process group) lets go while its `next build` runs on.
 * In those cases two builds can meet, and Next refuses the second, as without the lock.
 */
import { createHash } from "node:crypto";
import net from "node:net";
import path from "node:path";

const POLL_MS = 250;

export const lockName = (root: string) => `\0kiln-build-${createHash("sha256").update(path.resolve(root)).digest("hex").slice(0, 24)}`;

/** Runs `work` holding the checkout's build lock, after waiting for any other holder to finish. */
export async function holdingBuildLock<T>(
  root: string,
  work: () => T | Promise<T>,
  tell: { waiting?: () => void; unlocked?: (code: string) => void } = {},
): Promise<T> {
  let told = false;
  for (;;) {
    const lock = net.createServer();
    const taken = await new Promise<"held" | "busy" | string>((resolve) => {
      lock.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" ? "busy" : (e.code ?? e.message)));
      lock.listen(lockName(root), () => resolve("held"));
    });
    if (taken !== "held" && taken !== "busy") {
      tell.unlocked?.(taken);
      return work();
    }
    if (taken === "held") {
      try {
        return await work();
      } finally {
        lock.close();
      }
    }
    if (!told) tell.waiting?.();
    told = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
