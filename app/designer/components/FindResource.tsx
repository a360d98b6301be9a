"use client";
import { useId, useState } from "react";

/** "Find resource": a name (with suggestions from the template) that the canvas centres and selects. */
export function FindResource({ names, onFind }: { names: readonly string[]; onFind: (name: string) => boolean }) {
  const [query, setQuery] = useState("");
  const [missing, setMissing] = useState(false);
  const listId = useId();
  const go = (value: string) => {
    const q = value.trim();
    if (!q) return;
    const exact = names.find((n) => n === q) ?? names.find((n) => n.toLowerCase() === q.toLowerCase());
    const partial = names.filter((n) => n.toLowerCase().includes(q.toLowerCase()));
    const name = exact ?? (partial.length === 1 ? partial[0] : undefined);
    setMissing(!(name && onFind(name)));
  };
  return (
    <form
      className="find-resource"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        go(query);
      }}
    >
      <input
        type="search"
        value={query}
        list={listId}
        placeholder="Find resource…"
        aria-label="Find resource"
        data-testid="find-resource"
        aria-invalid={missing || undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setMissing(false);
          // Picking a suggestion from the list finds it at once.
          if (names.includes(e.target.value) && (e.nativeEvent as InputEvent).inputType !== "insertText") go(e.target.value);
        }}
      />
      {missing && <span className="find-missing small">No single resource matches “{query.trim()}”</span>}
      <datalist id={listId}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
    </form>
  );
}
