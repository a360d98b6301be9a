/**
 * `npm start`'s first step: builds the UI only when its inputs changed since the last build,
 * so a restart serves the existing build at once, and only for a process that serves the UI (a
 * `worker`, or one with KILN_NO_UI=1, does not wait for a build it does not use). One build at
 * a time in a checkout (buildLock.ts); a process that waited for another's finds it current.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { loadConfig } from "../config";
import { projectRoot } from "../store/schemaFiles";
import { buildInputsHash, buildIsCurrent, stampPath } from "./buildInputs";
import { holdingBuildLock } from "./buildLock";

/** Whether this process will serve the UI; a configuration server/main.ts refuses builds nothing, and it says why. */
function servesUi(): boolean {
  try {
    return loadConfig(process.env, []).servesUi;
  } catch {
    return false;
  }
}

if (!servesUi()) {
  console.error("kiln: this process serves no UI; not building it");
} else {
  await holdingBuildLock(
    projectRoot,
    () => {
      if (buildIsCurrent(projectRoot)) {
        console.error("kiln: the build in .next is current; not rebuilding");
        return;
      }
      execFileSync("npm", ["run", "-s", "build"], { cwd: projectRoot, stdio: "inherit" });
      // Hashed after building, since `next build` may rewrite tsconfig.json.
      fs.writeFileSync(stampPath(projectRoot), buildInputsHash(projectRoot));
    },
    (holder) => console.error(`kiln: process ${holder} is building the UI; waiting for it`),
  );
}
