/**
 * Real Heat on the same work, for the bench's ratios: the oracle (../shared/heat-oracle, Heat 19
 * in one process) creates a tree and answers how long its create took. Run without Heat's 1 s
 * pause after each leaf, to measure its algorithm rather than that pause.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Tree } from "./templates";

/** Heat takes minutes on a tree of thousands; a machine shared with other work can make that hours. */
const HEAT_TIMEOUT_MS = 30 * 60_000;

/** KILN_HEAT_ORACLE, or the project's shared oracle beside the checkout (or beside the worktrees' directory). */
const ORACLE =
  process.env.KILN_HEAT_ORACLE ??
  ["../shared", "../../shared"].map((dir) => path.resolve(process.cwd(), dir, "heat-oracle/oracle.py")).find((file) => fs.existsSync(file)) ??
  path.resolve(process.cwd(), "../shared/heat-oracle/oracle.py");

/** Seconds Heat took to create the tree; undefined (said on stderr) when the oracle is not installed here. */
export async function heatCreateSeconds(tree: Tree): Promise<number | undefined> {
  if (!fs.existsSync(ORACLE)) {
    console.error(`bench: no Heat oracle at ${ORACLE} (set KILN_HEAT_ORACLE): the comparison with Heat is left out`);
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-heat-"));
  try {
    fs.writeFileSync(path.join(dir, "top.yaml"), tree.template);
    const args = [ORACLE, "create", path.join(dir, "top.yaml")];
    for (const [name, text] of Object.entries(tree.files)) {
      fs.writeFileSync(path.join(dir, name), text);
      args.push("-f", `${name}=${path.join(dir, name)}`);
    }
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)("/usr/bin/python3", args, {
        env: { ...process.env, HEAT_ORACLE_NO_LEAF_SLEEP: "1" },
        maxBuffer: 256 * 2 ** 20,
        timeout: HEAT_TIMEOUT_MS,
      }));
    } catch (e) {
      if (!(e as { killed?: boolean }).killed) throw e;
      console.error(`bench: Heat did not create the tree within ${HEAT_TIMEOUT_MS / 60_000} min: the comparison with Heat is left out`);
      return undefined;
    }
    const out = JSON.parse(stdout) as { create?: { status: string; reason: string; seconds: number }; message?: string };
    if (out.message === "timed out") {
      console.error("bench: Heat did not finish the tree within the oracle's 15 min wait: the comparison with Heat is left out");
      return undefined;
    }
    if (out.create?.status !== "CREATE_COMPLETE") throw new Error(`Heat did not create the tree: ${out.create?.reason ?? out.message}`);
    return out.create.seconds;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
