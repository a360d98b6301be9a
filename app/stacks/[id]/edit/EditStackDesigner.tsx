"use client";
import { useEffect, useState } from "react";
import { api, type ApiOutput } from "../../../lib/trpc";
import { Designer } from "../../../designer/components/Designer";

type Stack = ApiOutput["stacks"]["show"];

/** The designer on an existing stack's current template: preview the update, then run it. */
export function EditStackDesigner({ idOrName }: { idOrName: string }) {
  const [stack, setStack] = useState<Stack>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.stacks.show
      .query({ stack: idOrName })
      .then(setStack)
      .catch((e: Error) => setError(e.message));
  }, [idOrName]);
  if (error)
    return (
      <div className="notice notice-error" role="alert">
        {error}
      </div>
    );
  if (!stack) return <p className="muted">Loading the stack’s template…</p>;
  if (!stack.template)
    return (
      <div className="notice" role="status">
        Stack {stack.name} has no template to edit.
      </div>
    );
  return <Designer mode={{ kind: "edit", stackId: stack.id, stackName: stack.name, parameters: stack.parameters }} initialText={stack.template} />;
}
