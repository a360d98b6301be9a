#!/usr/bin/env node
// The `kiln` executable: lets Node load the TypeScript sources, then runs the CLI.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
