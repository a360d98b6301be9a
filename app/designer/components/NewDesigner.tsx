"use client";
import { useLayoutEffect, useState } from "react";
import { STARTER } from "../model/starter";
import { DRAFT_KEY, Designer, ENVIRONMENT_KEY } from "./Designer";

/** The designer for a new template: the draft (and its environment) kept in this browser, or a fresh one. */
export function NewDesigner() {
  const [initial, setInitial] = useState<{ template: string; environment: string }>();
  // Before the page's first frame after it loads: the designer is then drawn in the same task,
  // its effects (the canvas' first fit among them) run before the browser paints, and there is
  // no frame of a designer without its canvas to lay out and paint first.
  useLayoutEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has("fresh")) {
      localStorage.removeItem(DRAFT_KEY);
      localStorage.removeItem(ENVIRONMENT_KEY);
      localStorage.removeItem("kiln.designer.positions.draft");
      url.searchParams.delete("fresh");
      window.history.replaceState(null, "", url);
    }
    setInitial({ template: localStorage.getItem(DRAFT_KEY) ?? STARTER, environment: localStorage.getItem(ENVIRONMENT_KEY) ?? "" });
  }, []);
  if (initial === undefined) return <p className="muted">Loading the designer…</p>;
  return <Designer mode={{ kind: "new" }} initialText={initial.template} initialEnvironment={initial.environment} />;
}
