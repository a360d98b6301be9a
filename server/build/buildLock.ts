/**
 * One UI build at a time in a checkout: two `web` processes started together on one machine
 * would both run `next build`, and Next refuses the second. The lock is a file created
 * exclusively, holding its owner's pid; a lock whose owner is gone (killed mid-build) is taken
 * over. Two processes taking over the same dead lock at the same instant could both build;
 * Next then refuses one, which exits saying so, as without the lock.
 */
import fs from "node:fs";
import path from "node:path";

export const lockPath = (root: string) => path.join(root, ".kiln-build.lock");

const POLL_MS = 250;

/** Runs `work` holding the checkout's build lock, waiting for another holder to finish first. */
export async function holdingBuildLock<T>(root: string, work: () => T, onWait?: (holder: number) => void): Promise<T> {
  const file = lockPath(root);
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const written = readIfThere(file);
    if (written === undefined) continue; // released meanwhile
    const holder = Number(written.trim());
    // Empty: its owner is writing its pid (exclusively created, not yet written).
    if (written.trim() !== "" && !alive(holder)) {
      // Gone without releasing it (killed mid-build): whoever removes it first takes over.
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!told) onWait?.(holder);
    told = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  try {
    return work();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
