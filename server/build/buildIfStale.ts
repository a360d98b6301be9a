/**
 * `npm start`'s first step: builds the UI only when its inputs changed since the last build,
 * so a restart serves the existing build at once.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { projectRoot } from "../store/schemaFiles";
import { buildInputsHash, buildIsCurrent, stampPath } from "./buildInputs";

if (buildIsCurrent(projectRoot)) {
  console.error("kiln: the build in .next is current; not rebuilding");
} else {
  execFileSync("npm", ["run", "-s", "build"], { cwd: projectRoot, stdio: "inherit" });
  // Hashed after building, since `next build` may rewrite tsconfig.json.
  fs.writeFileSync(stampPath(projectRoot), buildInputsHash(projectRoot));
}
