/**
 * `npm start`'s first step: builds the UI only when its inputs changed since the last build,
 * so a restart serves the existing build at once. One build at a time in a checkout
 * (buildLock.ts): a process that waited for another's build finds it current.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { projectRoot } from "../store/schemaFiles";
import { buildInputsHash, buildIsCurrent, stampPath } from "./buildInputs";
import { holdingBuildLock } from "./buildLock";

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
  {
    waiting: () => console.error("kiln: another process is building in this checkout; waiting for it"),
    unlocked: (code) => console.error(`kiln: building without the build lock (${code})`),
  },
);
