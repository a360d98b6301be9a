/**
 * Where the unmodified heat-agents chain (a test fixture outside the project: it may not be
 * copied in) is: KILN_HEAT_AGENTS (`.ci/run` sets it), else ../shared/heat-agents beside the
 * repository, else beside the main checkout of a git worktree, else this machine's shared
 * directory, where `.ci/run` also looks (a clone made elsewhere, in /tmp say).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The fallback `.ci/run` uses too. */
const MACHINE_SHARED = "/work/shared/heat-agents";

/** The fixture's directory; throws saying where it looked when it is in none of them. */
export function heatAgentsDir(): string {
  const candidates = [process.env.KILN_HEAT_AGENTS, path.join(root, "../shared/heat-agents")];
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: root, encoding: "utf8" }).trim();
    candidates.push(path.join(path.dirname(common), "../shared/heat-agents"));
  } catch {
    // Not a git checkout: the other places only.
  }
  candidates.push(MACHINE_SHARED);
  const looked = candidates.filter((c): c is string => !!c);
  const found = looked.find((c) => fs.existsSync(path.join(c, "run-agent.sh")));
  if (!found) throw new Error(`The heat-agents fixture is not at ${looked.join(" nor ")}: set KILN_HEAT_AGENTS to its directory (.ci/run does)`);
  return found;
}
