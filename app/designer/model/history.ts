/** Undo and redo over whole snapshots (template texts, or a template and its environment): every change, from any view, is one entry. */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

const LIMIT = 200;

export const startHistory = <T>(value: T): History<T> => ({ past: [], present: value, future: [] });

export function record<T>(h: History<T>, value: T, same: (a: T, b: T) => boolean = Object.is): History<T> {
  if (same(value, h.present)) return h;
  return { past: [...h.past, h.present].slice(-LIMIT), present: value, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
