/** Undo and redo over whole template texts: every change, from any view, is one entry. */
export interface History {
  past: string[];
  present: string;
  future: string[];
}

const LIMIT = 200;

export const startHistory = (text: string): History => ({ past: [], present: text, future: [] });

export function record(h: History, text: string): History {
  if (text === h.present) return h;
  return { past: [...h.past, h.present].slice(-LIMIT), present: text, future: [] };
}

export function undo(h: History): History {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
