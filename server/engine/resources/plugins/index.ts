/** Every built-in resource type with its behaviour, by type name. */
import type { ResourcePlugin } from "../plugin";
import { nonePlugin } from "./none";
import { randomStringPlugin } from "./randomString";
import { testResourcePlugin } from "./testResource";
import { valuePlugin } from "./value";

export const builtinPlugins: ReadonlyMap<string, ResourcePlugin> = new Map(
  [nonePlugin, testResourcePlugin, valuePlugin, randomStringPlugin].map((p) => [p.type, p]),
);
