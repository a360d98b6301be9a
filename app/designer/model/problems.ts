/** Where templates.validate's problems belong: a resource on the canvas, a line in the editor. */

export interface Problem {
  path: string;
  line?: number | null;
  column?: number | null;
  file?: string | null;
  message: string;
}

/** The resource a problem's path (`resources.<name>…`) is about; names may contain dots, so the longest match wins. */
export function resourceOfPath(path: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const n of names) {
    const p = `resources.${n}`;
    if ((path === p || path.startsWith(`${p}.`)) && (!best || n.length > best.length)) best = n;
  }
  return best;
}

/**
 * A parameter without a value is not a problem with the drawing: the launch form asks for
 * it. Those are set aside from the problems shown on the canvas and in the editor.
 */
export function isMissingParameter(p: Problem): boolean {
  return p.path.startsWith("parameters.") && /was not provided/.test(p.message);
}

export function problemsByResource(problems: readonly Problem[], names: readonly string[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) {
    const name = resourceOfPath(p.path, names);
    if (!name) continue;
    out.set(name, [...(out.get(name) ?? []), p]);
  }
  return out;
}

export interface LineDiagnostic {
  from: number;
  to: number;
  severity: "error" | "warning";
  message: string;
}

/** CodeMirror diagnostics: a problem with a line marks from its column to the end of that line; one without marks line 1. */
export function lineDiagnostics(text: string, problems: readonly Problem[], severity: "error" | "warning"): LineDiagnostic[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return problems
    .filter((p) => !p.file)
    .map((p) => {
      const line = Math.min(Math.max(p.line ?? 1, 1), starts.length);
      const lineStart = starts[line - 1];
      const lineEnd = line < starts.length ? starts[line] - 1 : text.length;
      const from = Math.min(lineStart + Math.max((p.column ?? 1) - 1, 0), lineEnd);
      return { from, to: Math.max(lineEnd, from), severity, message: p.path ? `${p.path}: ${p.message}` : p.message };
    });
}
