/**
 * The CodeMirror side of the YAML editor, in a module of its own: CodeMirror is the largest part
 * of the designer's code, and YamlEditor fetches it and builds the editor once the page's first
 * frame is on screen and the page is idle (a large template's, once the canvas has drawn).
 */
import { Annotation, EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { commonEnds } from "../model/commonEnds";
import type { LineDiagnostic } from "../model/problems";

/** Marks a transaction that brings in text from outside (canvas, undo), so it is not echoed back. */
const External = Annotation.define<boolean>();

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "12.5px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace', lineHeight: "1.55" },
  ".cm-gutters": { backgroundColor: "#fafaf8", borderRight: "1px solid #ecece8", color: "#9a9a94" },
  ".cm-activeLine": { backgroundColor: "#fbf7f4" },
  ".cm-activeLineGutter": { backgroundColor: "#f3ece7" },
  "&.cm-focused": { outline: "none" },
});

/** What the editor tells its owner; read at each event, so the owner may swap them. */
export interface EditorHandlers {
  onChange: (text: string) => void;
  onUndo: () => void;
  onRedo: () => void;
}

export interface YamlEditorView {
  /** Text from the canvas or from undo: only the part that differs is replaced, so the cursor stays put. */
  replaceFromOutside(text: string): void;
  setDiagnostics(diagnostics: LineDiagnostic[]): void;
  /** Puts the cursor on the 1-based line and scrolls it to the middle. */
  revealLine(line: number): void;
  destroy(): void;
}

export function createYamlEditorView(parent: HTMLElement, doc: string, handlers: { current: EditorHandlers }): YamlEditorView {
  const v = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        EditorState.tabSize.of(2),
        keymap.of([
          { key: "Mod-z", run: () => (handlers.current.onUndo(), true), preventDefault: true },
          { key: "Mod-Shift-z", run: () => (handlers.current.onRedo(), true), preventDefault: true },
          { key: "Mod-y", run: () => (handlers.current.onRedo(), true), preventDefault: true },
          indentWithTab,
          ...defaultKeymap,
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !u.transactions.some((t) => t.annotation(External))) handlers.current.onChange(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "Template YAML", "data-testid": "yaml-editor" }),
        theme,
      ],
    }),
  });
  return {
    replaceFromOutside(text) {
      const current = v.state.doc.toString();
      if (current === text) return;
      // Only what changed is replaced: the reader's cursor and scroll stay where they were.
      const { start, endA: endOld, endB: endNew } = commonEnds(current, text);
      v.dispatch({ changes: { from: start, to: endOld, insert: text.slice(start, endNew) }, annotations: External.of(true) });
    },
    setDiagnostics(diagnostics) {
      // Diagnostics of an older text are kept inside the current one.
      const length = v.state.doc.length;
      v.dispatch(setDiagnostics(v.state, diagnostics.map((d) => ({ ...d, from: Math.min(d.from, length), to: Math.min(d.to, length) }))));
    },
    revealLine(lineNumber) {
      const line = v.state.doc.line(Math.min(Math.max(lineNumber, 1), v.state.doc.lines));
      v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
    },
    destroy: () => v.destroy(),
  };
}
