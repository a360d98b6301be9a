"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { record, redo, startHistory, undo, type History } from "../model/history";

/** What one undo step restores: the template and the environment it is launched with. */
export type Draft = { template: string; environment: string };
const sameDraft = (a: Draft, b: Draft) => a.template === b.template && a.environment === b.environment;
const TYPING_DELAY = 150;

/**
 * The template and its environment with one undo history for canvas, panels and editor. The
 * editor's typing is held back for TYPING_DELAY, so a word is one step, and flushed before any
 * other edit. `externalSeq` moves when the text changed from outside the editor.
 */
export function useDraftHistory(initial: Draft) {
  const histRef = useRef<History<Draft>>(startHistory(initial));
  const [hist, setHistState] = useState<History<Draft>>(histRef.current);
  const [externalSeq, setExternalSeq] = useState(0);
  const [notice, setNotice] = useState<string>();
  const typing = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const setHist = useCallback((h: History<Draft>, external: boolean) => {
    histRef.current = h;
    setHistState(h);
    if (external) setExternalSeq((s) => s + 1);
  }, []);

  /** Commits the editor's pending typing; answers the latest template text. */
  const flushTyping = useCallback(() => {
    const t = typing.current;
    if (t) {
      clearTimeout(t.timer);
      typing.current = null;
      setHist(record(histRef.current, { ...histRef.current.present, template: t.text }, sameDraft), false);
    }
    return histRef.current.present.template;
  }, [setHist]);
  const onEditorChange = useCallback(
    (text: string) => {
      if (typing.current) clearTimeout(typing.current.timer);
      typing.current = { text, timer: setTimeout(flushTyping, TYPING_DELAY) };
    },
    [flushTyping],
  );
  useEffect(
    () => () => {
      if (typing.current) clearTimeout(typing.current.timer);
    },
    [],
  );

  /** Every canvas, inspector and panel change: one edit of the latest text (or environment), one undo step. */
  const apply = useCallback(
    (edit: (text: string) => string, part: keyof Draft = "template"): boolean => {
      flushTyping();
      const now = histRef.current.present;
      try {
        const next = { ...now, [part]: edit(now[part]) };
        setHist(record(histRef.current, next, sameDraft), part === "template");
        setNotice(undefined);
        return true;
      } catch (e) {
        setNotice((e as Error).message);
        return false;
      }
    },
    [flushTyping, setHist],
  );
  /** apply, for forms: the error message when the edit was refused. */
  const applyOrError = useCallback(
    (edit: (text: string) => string, part: keyof Draft = "template"): string | undefined => {
      let error: string | undefined;
      apply((t) => {
        try {
          return edit(t);
        } catch (e) {
          error = (e as Error).message;
          throw e;
        }
      }, part);
      return error;
    },
    [apply],
  );
  const doUndo = useCallback(() => {
    flushTyping();
    setHist(undo(histRef.current), true);
  }, [flushTyping, setHist]);
  const doRedo = useCallback(() => {
    flushTyping();
    setHist(redo(histRef.current), true);
  }, [flushTyping, setHist]);

  return {
    text: hist.present.template,
    environment: hist.present.environment,
    canUndo: hist.past.length > 0,
    canRedo: hist.future.length > 0,
    externalSeq,
    notice,
    setNotice,
    flushTyping,
    onEditorChange,
    apply,
    applyOrError,
    undo: doUndo,
    redo: doRedo,
  };
}
