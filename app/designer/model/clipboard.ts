/** Copy and paste of resources on the canvas: the copies get fresh names and point at each other. */
import { isMap, type YAMLMap } from "yaml";
import { dependsOnItems, editTemplate, ensureMap, findFunctions, freeName, keyOf, parse, resourcesMap } from "./hotDocument";

/** What Ctrl+C keeps: the text as it was then, so a paste still works after the originals changed or went. */
export interface Copied {
  text: string;
  names: readonly string[];
}

/**
 * Appends copies of the copied resources under fresh names (`web` → `web_2`). References between
 * copied resources are rewritten to the copies; references to anything else are kept.
 * Returns the new text and each original's copy name.
 */
export function pasteResources(text: string, copied: Copied): { text: string; names: Map<string, string> } {
  const source = resourcesMap(parse(copied.text).doc);
  const wanted = new Set(copied.names);
  const bodies = (source?.items ?? []).filter((p) => wanted.has(keyOf(p)) && isMap(p.value)).map((p) => ({ name: keyOf(p), body: p.value as YAMLMap }));
  if (!bodies.length) throw new Error("The copied resources are not in the copied text.");
  const names = new Map<string, string>();
  const out = editTemplate(text, (doc) => {
    const resources = ensureMap(doc, "resources");
    const taken = new Set(resources.items.map(keyOf));
    for (const { name } of bodies) {
      const copy = freeName(taken, name.replace(/_\d+$/, ""));
      taken.add(copy);
      names.set(name, copy);
    }
    for (const { name, body } of bodies) {
      const clone = body.clone() as YAMLMap;
      for (const d of dependsOnItems(clone, name)) d.target.value = names.get(String(d.target.value)) ?? d.target.value;
      findFunctions(clone, [], (_fn, _path, _kind, target) => {
        target.value = names.get(String(target.value)) ?? target.value;
      });
      resources.flow = false;
      resources.set(names.get(name)!, clone);
    }
  });
  return { text: out, names };
}
