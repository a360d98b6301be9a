"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { api } from "../../lib/trpc";
import type { ParameterSchema } from "../../stacks/new/ParameterField";
import { parametersToSend, type ParameterValues } from "../../stacks/new/parametersToSend";
import { readEnvironment } from "../model/environment";
import { isMissingParameter, lineDiagnostics, problemsByResource, type Problem } from "../model/problems";
import { whenIdle } from "../../lib/whenIdle";

type Validation = Awaited<ReturnType<typeof api.templates.validate.mutate>>;
const VALIDATE_DELAY = 250;

/**
 * The server's validation of the latest text, environment and parameter values, asked for
 * VALIDATE_DELAY after the last change, once the page is idle (a large template's first, once
 * its canvas is drawn: the request and the server's work would otherwise compete with drawing
 * it); answers to older texts are dropped. `checking` holds while the answer on screen is for
 * another text.
 */
export function useValidation({ text, environment, paramValues, names }: { text: string; environment: string; paramValues: ParameterValues; names: readonly string[] }) {
  const environments = useMemo(() => (environment.trim() ? [environment] : []), [environment]);
  const [validation, setValidation] = useState<{ text: string; result: Validation }>();
  // The launch form starts from the environment's parameter_defaults where it has them, as the stack will.
  const envDefaults = useMemo(() => readEnvironment(environment).defaults.values, [environment]);
  const paramSchema = useMemo(
    () => ((validation?.result.parameters.schema ?? []) as ParameterSchema[]).map((p) => (p.name in envDefaults ? { ...p, default: envDefaults[p.name] } : p)),
    [validation, envDefaults],
  );
  const validateSeq = useRef(0);
  useEffect(() => {
    const seq = ++validateSeq.current;
    let cancelIdle: (() => void) | undefined;
    const timer = setTimeout(
      () =>
        (cancelIdle = whenIdle(() => {
          api.templates.validate
            .mutate({ template: text.trim() ? text : " ", environment: environments, parameters: parametersToSend(paramSchema, paramValues) })
            .then((result) => seq === validateSeq.current && setValidation({ text, result }))
            .catch(() => undefined);
        })),
      VALIDATE_DELAY,
    );
    return () => {
      clearTimeout(timer);
      cancelIdle?.();
    };
    // paramSchema follows validation; re-validating on it would loop.
  }, [text, environments, paramValues]);

  const allErrors = useMemo(() => (validation?.result.errors ?? []) as Problem[], [validation]);
  const errors = useMemo(() => allErrors.filter((p) => !isMissingParameter(p)), [allErrors]);
  const warnings = useMemo(() => (validation?.result.warnings ?? []) as Problem[], [validation]);
  const byResource = useMemo(() => problemsByResource(errors, names), [errors, names]);
  const diagnostics = useMemo(
    () => (validation ? [...lineDiagnostics(validation.text, errors, "error"), ...lineDiagnostics(validation.text, warnings, "warning")] : []),
    [validation, errors, warnings],
  );
  return {
    environments,
    paramSchema,
    checking: validation?.text !== text,
    errors,
    warnings,
    /** Required parameters without a value: filled in at launch, so not problems of the template. */
    missingParameters: allErrors.length - errors.length,
    byResource,
    diagnostics,
  };
}
