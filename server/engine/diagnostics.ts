/**
 * Problems found in a template, an environment or a property value, gathered and returned
 * together rather than thrown one at a time.
 */
export interface Diagnostic {
  severity: "error" | "warning";
  /** Dotted path into the template, e.g. `resources.web.properties.port`. */
  path: string;
  /** 1-based position in the source file, when the path maps to a node that has one. */
  line?: number;
  column?: number;
  /** Which file the position refers to, when it is not the main template (an environment, a provider template). */
  file?: string;
  message: string;
}

export const error = (path: string, message: string): Diagnostic => ({ severity: "error", path, message });
export const warning = (path: string, message: string): Diagnostic => ({ severity: "warning", path, message });

/** `path (line:col): message`, as the CLI, the logs and stored warnings show a problem. */
export function formatProblem(p: { path: string; line?: number | null; column?: number | null; file?: string | null; message: string }) {
  const where = p.line ? ` (${p.file ? `${p.file}:` : ""}${p.line}:${p.column})` : p.file ? ` (${p.file})` : "";
  return `${p.path || "template"}${where}: ${p.message}`;
}
