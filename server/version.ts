import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./store/schemaFiles";

const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { name: string; version: string };

export const versionInfo = {
  name: pkg.name,
  version: pkg.version,
  node: process.version,
  /** Heat's template versions are the ones Kiln loads; this is the newest. */
  heatTemplateVersion: "2021-04-16",
};
