/**
 * What `next build` reads, as one hash: the UI and server sources, the public files, the
 * schema, the lock file and the build's configuration. A build is current when the hash
 * written beside it equals the hash of the checkout now; file times are not trusted, since a
 * checkout or a copy changes them without changing a byte.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const TREES = ["app", "server", "public", "prisma"];
const FILES = ["package.json", "package-lock.json", "next.config.ts", "tsconfig.json"];
/** Read by no build: tests, generated clients (made from the schema, which is hashed) and data. */
const SKIP = [/\.test\.tsx?$/, /(^|\/)generated\//, /(^|\/)node_modules\//, /(^|\/)fixtures\//];

/** The hash is kept inside Next's build directory, so removing the build removes it too. */
export const stampPath = (root: string) => path.join(root, ".next", "kiln-build-inputs");

export function buildInputsHash(root: string): string {
  const files = [...FILES.filter((f) => fs.existsSync(path.join(root, f))), ...TREES.flatMap((t) => filesUnder(root, t))]
    .filter((f) => !SKIP.some((re) => re.test(f)))
    .sort();
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update("\0").update(fs.readFileSync(path.join(root, f))).update("\0");
  return hash.digest("hex");
}

function filesUnder(root: string, dir: string): string[] {
  if (!fs.existsSync(path.join(root, dir))) return [];
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** Current when Next finished a build (BUILD_ID) from exactly these inputs. */
export function buildIsCurrent(root: string): boolean {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")) || !fs.existsSync(stampPath(root))) return false;
  return fs.readFileSync(stampPath(root), "utf8") === buildInputsHash(root);
}
