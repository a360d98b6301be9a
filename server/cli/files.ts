/**
 * Reads a template and its environments and gathers every local file they refer to into the
 * `files` map, as python-heatclient does: `get_file` paths, resource types that are template
 * files (anywhere a `type:` key names a .yaml/.yml/.template/.json file, so ResourceGroup's
 * resource_def too, and the template files a ResourceChain lists), and environment resource_registry entries that map to files, recursively
 * through nested templates. A path is read relative to the file that refers to it, and keyed
 * by the string exactly as written there: the server looks files up by that key, in one flat
 * map, so two different files referred to by the same string are refused. URLs other than
 * file:// are left for the server.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { flowTooDeepAt, inputLimits, tooLargeMessage } from "../engine/limits";
import { CliFailure, EXIT } from "./exit";

export interface TemplateSubmission {
  template: string;
  files: Record<string, string>;
  /** Environment texts, in the order given. */
  environment: string[];
}

const TEMPLATE_SUFFIXES = [".yaml", ".yml", ".template", ".json"];
const isRemote = (ref: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) && !ref.startsWith("file://");
const looksLikeTemplate = (ref: string) => TEMPLATE_SUFFIXES.some((s) => ref.endsWith(s));

/** Reads `-t` and `-e` files (relative to cwd) and everything they refer to; throws CliFailure listing every unreadable file. */
export function gatherTemplate(templatePath: string, environmentPaths: string[], cwd: string): TemplateSubmission {
  const g = new Gatherer();
  const templateFile = path.resolve(cwd, templatePath);
  const template = g.readTop(templateFile, templatePath);
  const environment = environmentPaths.map((p) => g.readTop(path.resolve(cwd, p), p));
  if (template !== undefined) g.walkTemplate(templateFile, template);
  environmentPaths.forEach((p, i) => {
    const text = environment[i];
    if (text !== undefined) g.walkEnvironment(path.resolve(cwd, p), text);
  });
  if (g.problems.length) throw new CliFailure("cannot read the template's files:", EXIT.failed, g.problems);
  return { template: template!, files: g.files, environment: environment as string[] };
}

class Gatherer {
  readonly files: Record<string, string> = {};
  readonly problems: string[] = [];
  /** Key → the absolute path it was read from. */
  private readonly origin = new Map<string, string>();
  private readonly walked = new Set<string>();

  readTop(abs: string, shown: string): string | undefined {
    try {
      return readLimited(abs);
    } catch (e) {
      this.problems.push(`${shown}: ${reason(e)}`);
      return undefined;
    }
  }

  walkTemplate(abs: string, text: string) {
    if (this.walked.has(abs)) return;
    this.walked.add(abs);
    const doc = parseQuietly(text);
    if (doc !== undefined) this.visit(doc, abs);
  }

  walkEnvironment(abs: string, text: string) {
    const doc = parseQuietly(text);
    if (!isMap(doc) || !isMap(doc.resource_registry)) return;
    const visitRegistry = (registry: Record<string, unknown>) => {
      for (const [key, target] of Object.entries(registry)) {
        if (key === "hooks" || key === "restricted_actions") continue;
        if (isMap(target)) visitRegistry(target);
        // Type aliases ("OS::Heat::None") and wildcard prefixes are not files.
        else if (typeof target === "string" && !target.includes("::") && !target.endsWith("*") && !isRemote(target)) this.add(target, abs, true);
      }
    };
    visitRegistry(doc.resource_registry);
  }

  private visit(node: unknown, from: string) {
    if (Array.isArray(node)) return node.forEach((n) => this.visit(n, from));
    if (!isMap(node)) return;
    // A chain names its members' types in a list, not under `type:` (python-heatclient misses these).
    if (node.type === "OS::Heat::ResourceChain" && isMap(node.properties) && Array.isArray(node.properties.resources)) {
      for (const t of node.properties.resources) if (typeof t === "string" && looksLikeTemplate(t) && !isRemote(t)) this.add(t, from, true);
    }
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string" && !isRemote(value)) {
        if (key === "get_file") this.add(value, from, false);
        else if (key === "type" && looksLikeTemplate(value)) this.add(value, from, true);
      }
      this.visit(value, from);
    }
  }

  /** Reads `ref` (relative to the file `from`) into files[ref]; walks it when it is a template. */
  private add(ref: string, from: string, isTemplate: boolean) {
    const abs = ref.startsWith("file://") ? fileURLToPath(ref) : path.resolve(path.dirname(from), ref);
    const known = this.origin.get(ref);
    if (known !== undefined) {
      if (known !== abs) this.problems.push(`"${ref}" names two different files, ${known} and ${abs} (in ${from}); Kiln keys files by the name as written, so give them different names`);
      return;
    }
    let text: string;
    try {
      text = readLimited(abs);
    } catch (e) {
      this.problems.push(`${ref} (referred to by ${from}): ${reason(e)}`);
      return;
    }
    this.origin.set(ref, abs);
    this.files[ref] = text;
    if (isTemplate) this.walkTemplate(abs, text);
  }
}

/** Only regular files, and none over the file size limit: /dev/zero or a FIFO would never end, a huge file would fill memory. */
function readLimited(abs: string): string {
  const stat = statSync(abs);
  if (stat.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR", path: abs });
  if (!stat.isFile()) throw new Error(`not a regular file (a device, pipe or socket): ${abs}`);
  const { maxFileBytes } = inputLimits();
  if (stat.size > maxFileBytes) throw new Error(`${tooLargeMessage("the file", maxFileBytes, stat.size)}: ${abs}`);
  // Read no further than the limit whatever the size says: files under /proc claim a size of
  // 0. Whole chunks, as some of those files only answer reads of a multiple of 8 bytes.
  const chunks: Buffer[] = [];
  let length = 0;
  const fd = openSync(abs, "r");
  try {
    while (length <= maxFileBytes) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
    }
  } finally {
    closeSync(fd);
  }
  // Read only so far, its whole size is unknown: "over" the limit is what can be said.
  if (length > maxFileBytes) throw new Error(`${tooLargeMessage("the file", maxFileBytes)}: ${abs}`);
  return Buffer.concat(chunks, length).toString("utf8");
}

function parseQuietly(text: string): unknown {
  // Too deep to walk: validation reports it, with its position.
  if (flowTooDeepAt(text, inputLimits().maxDepth) !== undefined) return undefined;
  try {
    return parse(text, { logLevel: "silent" });
  } catch {
    return undefined; // the server reports the syntax error, with its position
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return `no such file: ${err.path ?? ""}`.trim();
  if (err.code === "EISDIR") return `is a directory: ${err.path ?? ""}`.trim();
  if (err.code === "EACCES") return `permission denied: ${err.path ?? ""}`.trim();
  return err.message;
}
