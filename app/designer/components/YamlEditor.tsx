"use client";
import { useEffect, useRef, useState } from "react";
import type { LineDiagnostic } from "../model/problems";
import { whenIdle } from "../../lib/whenIdle";
import type { YamlEditorView } from "./yamlEditorView";

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
  /** True while a large template's canvas has yet to draw: the editor waits for it (at most HOLD_BACK_MS). */
  holdBack: boolean;
}

/** How long the editor waits at most for the canvas (whose layout may never come, e.g. elk failing to load). */
const HOLD_BACK_MS = 3000;

/**
 * Runs `fn` once the frame being drawn is on screen and the page is idle after it: a frame, then
 * whatever input and tasks wait (the reader's first click on the canvas is not held up).
 */
function afterPaint(fn: () => void): { cancel: () => void } {
  let cancelIdle: (() => void) | undefined;
  const frame = requestAnimationFrame(() => (cancelIdle = whenIdle(fn)));
  return {
    cancel: () => {
      cancelAnimationFrame(frame);
      cancelIdle?.();
    },
  };
}

/** The template as YAML text (CodeMirror 6): highlighting, lint gutter, and one undo history shared with the canvas. */
export function YamlEditor({ value, externalSeq, onChange, diagnostics, onUndo, onRedo, reveal, holdBack }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<YamlEditorView | null>(null);
  const handlers = useRef({ onChange, onUndo, onRedo });
  handlers.current = { onChange, onUndo, onRedo };
  const latest = useRef({ value, diagnostics, reveal });
  latest.current = { value, diagnostics, reveal };

  // Fetched and built after the page's first frame, and for a large template once the canvas'
  // drawing is on screen: there the editor is a few hundred milliseconds of the main thread (its
  // code alone tens of milliseconds to evaluate), and the canvas shows the template first.
  const [heldLongEnough, setHeldLongEnough] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setHeldLongEnough(true), HOLD_BACK_MS);
    return () => clearTimeout(timer);
  }, []);
  // Once started, never stopped: the editor may hold typing not yet handed on.
  const [start, setStart] = useState(false);
  const [loadFailed, setLoadFailed] = useState<string>();
  if (!start && (!holdBack || heldLongEnough)) setStart(true);
  useEffect(() => {
    if (!start) return;
    let gone = false;
    const later = afterPaint(() =>
      void import("./yamlEditorView")
        .then(({ createYamlEditorView }) => {
          if (gone) return;
          const v = createYamlEditorView(host.current!, latest.current.value, handlers);
          view.current = v;
          // What arrived while there was no editor yet.
          v.setDiagnostics(latest.current.diagnostics);
          if (latest.current.reveal) v.revealLine(latest.current.reveal.line);
        })
        // Its code is fetched apart from the page's (a deploy since the page loaded, a network
        // failure): say so rather than leave the pane empty. The canvas still edits the template.
        .catch((e: unknown) => !gone && setLoadFailed(e instanceof Error ? e.message : String(e))),
    );
    return () => {
      gone = true;
      later.cancel();
      view.current?.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effects below.
  }, [start]);

  useEffect(() => {
    view.current?.replaceFromOutside(value);
    // Only external changes are pushed in: the committed value lags the editor while typing.
  }, [externalSeq]);

  useEffect(() => {
    view.current?.setDiagnostics(diagnostics);
  }, [diagnostics, value]);

  useEffect(() => {
    if (reveal) view.current?.revealLine(reveal.line);
  }, [reveal]);

  return (
    <>
      {loadFailed && (
        <p className="notice notice-error" role="alert" data-testid="yaml-editor-failed">
          The YAML editor could not be loaded ({loadFailed}); reload the page to try again. The canvas still edits the template.
        </p>
      )}
      <div className="yaml-editor" ref={host} />
    </>
  );
}
