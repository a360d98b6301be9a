"use client";
import { useEffect, useRef } from "react";
import { Annotation, EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
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

interface Props {
  value: string;
  /** Bumped when value comes from outside the editor (canvas, undo, import); typing never bumps it. */
  externalSeq: number;
  onChange: (text: string) => void;
  diagnostics: LineDiagnostic[];
  onUndo: () => void;
  onRedo: () => void;
  /** 1-based line to scroll to and put the cursor on; changes of `reveal.seq` trigger it. */
  reveal?: { line: number; seq: number };
}

/** The template as YAML text (CodeMirror 6): highlighting, lint gutter, and one undo history shared with the canvas. */
export function YamlEditor({ value, externalSeq, onChange, diagnostics, onUndo, onRedo, reveal }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onUndo, onRedo });
  handlers.current = { onChange, onUndo, onRedo };

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
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
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
  }, []);

  // Text from the canvas or from undo replaces only the part that differs, so the cursor stays put.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current === value) return;
    let start = 0;
    while (start < current.length && start < value.length && current[start] === value[start]) start++;
    let endOld = current.length;
    let endNew = value.length;
    while (endOld > start && endNew > start && current[endOld - 1] === value[endNew - 1]) {
      endOld--;
      endNew--;
    }
    v.dispatch({ changes: { from: start, to: endOld, insert: value.slice(start, endNew) }, annotations: External.of(true) });
    // Only external changes are pushed in: the committed value lags the editor while typing.
  }, [externalSeq]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const clipped = diagnostics.map((d) => ({ ...d, from: Math.min(d.from, len), to: Math.min(d.to, len) }));
    v.dispatch(setDiagnostics(v.state, clipped));
  }, [diagnostics, value]);

  useEffect(() => {
    const v = view.current;
    if (!v || !reveal) return;
    const line = v.state.doc.line(Math.min(Math.max(reveal.line, 1), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
  }, [reveal]);

  return <div className="yaml-editor" ref={host} />;
}
