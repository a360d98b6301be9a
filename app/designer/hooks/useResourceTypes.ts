"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../lib/trpc";
import type { TypeSchema } from "../components/Inspector";
import type { PaletteType } from "../components/Palette";
import type { HotModel } from "../model/hotDocument";

/** The palette's types, and each used type's schema, asked for once per type. */
export function useResourceTypes(model: HotModel, onError: (message: string) => void) {
  const [types, setTypes] = useState<PaletteType[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    api.resourceTypes.list
      .query({ withDescription: true })
      .then((t) => setTypes(t as PaletteType[]))
      .catch(() => onError("Could not load the resource types."))
      .finally(() => setLoading(false));
    // Loaded once per page.
  }, []);
  const [schemas, setSchemas] = useState<Record<string, TypeSchema | null>>({});
  const asked = useRef(new Map<string, Promise<TypeSchema | null>>());
  const schemaOf = useCallback((type: string): Promise<TypeSchema | null> => {
    let p = asked.current.get(type);
    if (!p) {
      p = api.resourceTypes.show
        .query({ type })
        .then((s) => s as unknown as TypeSchema)
        .catch(() => null);
      asked.current.set(type, p);
      void p.then((s) => setSchemas((old) => ({ ...old, [type]: s })));
    }
    return p;
  }, []);
  useEffect(() => {
    for (const r of model.resources) if (r.type) void schemaOf(r.type);
  }, [model, schemaOf]);
  return { types, loading, schemas, schemaOf };
}
