"use client";
import { useRouter } from "next/navigation";
import { TRPCClientError } from "@trpc/client";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { api, type ApiOutput } from "../../lib/trpc";
import { readCarefully } from "../../designer/model/hotDocument";
import { isMissingParameter } from "../../designer/model/problems";
import { ParameterField, initialValue, missingValue, type ParameterSchema } from "./ParameterField";
import { parametersToSend } from "./parametersToSend";
import { stackNameProblem } from "../../../server/engine/stackName";

type Validation = ApiOutput["templates"]["validate"];
type Problem = ApiOutput["templates"]["validate"]["errors"][number];

const EXAMPLE = `heat_template_version: 2018-08-31
description: Two test resources, the second reads the first
parameters:
  greeting:
    type: string
    default: hello
resources:
  first:
    type: OS::Heat::TestResource
    properties:
      value: { get_param: greeting }
      action_wait_secs: { create: 2 }
  second:
    type: OS::Heat::TestResource
    properties:
      value: { list_join: ["-", [{ get_attr: [first, output] }, "world"]] }
outputs:
  joined:
    description: The second resource's value
    value: { get_attr: [second, output] }
`;


/** `path (line:col): message`, as the CLI prints a template problem. */
function formatProblem(p: Problem): string {
  const where = p.line ? ` (${p.file ? `${p.file}:` : ""}${p.line}:${p.column})` : p.file ? ` (${p.file})` : "";
  return `${p.path || "template"}${where}: ${p.message}`;
}

/** What a refused create says first: the missing values when that is all, else how many problems. */
function problemsHeading(problems: Problem[]): string {
  const missing = problems.filter(isMissingParameter);
  if (missing.length === problems.length) return `Missing a value for ${missing.map((p) => p.path.slice("parameters.".length)).join(", ")}`;
  return `${problems.length} problem${problems.length === 1 ? "" : "s"} in the template`;
}

function problemsOf(e: unknown): Problem[] | undefined {
  if (e instanceof TRPCClientError) {
    const problems = (e.data as { problems?: Problem[] } | undefined)?.problems;
    if (problems?.length) return problems;
  }
  return undefined;
}

/** Create a stack: name, template (file or pasted), a parameters form from the template, options. */
export function NewStackForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [fileName, setFileName] = useState<string>();
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [rollback, setRollback] = useState(false);
  const [timeout, setTimeoutMins] = useState("");
  const [validation, setValidation] = useState<Validation>();
  const [shownResult, setShownResult] = useState(false);
  const [validating, setValidating] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<{ message: string; problems?: Problem[] }>();
  const fileInput = useRef<HTMLInputElement>(null);
  const validateSeq = useRef(0);

  const schema: ParameterSchema[] = useMemo(() => (validation?.parameters.schema ?? []) as ParameterSchema[], [validation]);

  async function validate(show: boolean) {
    if (!template.trim()) return;
    const seq = ++validateSeq.current;
    if (show) setValidating(true);
    try {
      const v = await api.templates.validate.mutate({ template, parameters: parametersToSend(schema, values) });
      if (seq !== validateSeq.current) return;
      setValidation(v);
      setValues((old) => {
        const next: Record<string, string | boolean> = {};
        for (const p of v.parameters.schema as ParameterSchema[]) next[p.name] = p.name in old ? old[p.name] : initialValue(p);
        return next;
      });
      if (show) {
        setShownResult(true);
        requestAnimationFrame(() => document.querySelector("[data-testid=validation-result]")?.scrollIntoView({ block: "nearest", behavior: "smooth" }));
      }
    } catch (e) {
      if (show) setError({ message: (e as Error).message });
    } finally {
      if (show) setValidating(false);
    }
  }

  // The parameters form follows the template as it is typed or loaded: only a new template
  // validates again (validate reads the parameter values too, which must not re-trigger it).
  useEffect(() => {
    setShownResult(false);
    if (!template.trim()) {
      setValidation(undefined);
      return;
    }
    const t = setTimeout(() => void validate(false), 500);
    return () => clearTimeout(t);
  }, [template]);

  async function loadFile(file: File | undefined) {
    if (!file) return;
    setTemplate(await file.text());
    setFileName(file.name);
    if (!name) {
      const base = file.name.replace(/\.(ya?ml|template|json)$/i, "").replace(/[^a-zA-Z0-9_.-]/g, "-");
      if (!stackNameProblem(base)) setName(base);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setCreating(true);
    try {
      const stack = await api.stacks.create.mutate({
        name: name.trim(),
        template,
        parameters: parametersToSend(schema, values),
        disableRollback: !rollback,
        timeoutMins: timeout ? Number(timeout) : undefined,
      });
      router.push(`/stacks/${stack.id}`);
    } catch (e) {
      setError({ message: (e as Error).message, problems: problemsOf(e) });
      setCreating(false);
    }
  }

  const nameProblem = name ? stackNameProblem(name) : undefined;
  const errors = validation?.errors ?? [];
  const warnings = validation?.warnings ?? [];
  const resourceCount = validation?.graph.nodes.length ?? 0;
  // Flagged as it is typed: the server's answer waits for a pause, and is about more than syntax.
  const syntaxError = useMemo(() => (template.trim() ? readCarefully(template).syntaxErrors[0] : undefined), [template]);
  const missing = schema.filter((p) => missingValue(p, values[p.name])).map((p) => p.name);

  return (
    <form className="form-grid" onSubmit={submit} data-testid="new-stack-form">
      <section className="card form-main">
        <label className="field">
          <span className="field-label">Stack name</span>
          <input
            className="input"
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="my-stack"
            aria-invalid={!!nameProblem}
          />
          {nameProblem && <span className="field-error">{nameProblem}</span>}
        </label>

        <div className="field">
          <div className="field-row">
            <label className="field-label" htmlFor="template">
              Template
            </label>
            <span className="field-tools">
              <button type="button" className="link-button" onClick={() => fileInput.current?.click()}>
                Load from file…
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setTemplate(EXAMPLE);
                  setFileName(undefined);
                }}
              >
                Insert an example
              </button>
            </span>
          </div>
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,.template,.json,text/yaml,application/x-yaml"
            hidden
            data-testid="template-file"
            onChange={(e) => void loadFile(e.target.files?.[0])}
          />
          <textarea
            id="template"
            name="template"
            className="input code-input"
            value={template}
            onChange={(e) => {
              setTemplate(e.target.value);
              setFileName(undefined);
            }}
            rows={18}
            spellCheck={false}
            placeholder={"heat_template_version: 2018-08-31\nresources:\n  …"}
            required
            aria-invalid={!!syntaxError}
            aria-describedby={syntaxError ? "template-syntax" : undefined}
          />
          {syntaxError && (
            <span className="field-error" id="template-syntax" data-testid="template-syntax">
              The YAML does not parse at line {syntaxError.line}, column {syntaxError.column}: {syntaxError.message}
            </span>
          )}
          <span className="field-hint">
            {fileName ? `Loaded from ${fileName}. ` : ""}A HOT template (YAML). Paste it here or load a file.
          </span>
        </div>

        {shownResult && validation && (
          <div className={`notice ${errors.length ? "notice-error" : warnings.length ? "notice-warning" : "notice-ok"}`} data-testid="validation-result" role="status">
            {errors.length ? (
              <>
                <strong>
                  {errors.length} problem{errors.length === 1 ? "" : "s"} in the template
                </strong>
                <ul className="problems">
                  {errors.map((p, i) => (
                    <li key={i}>{formatProblem(p)}</li>
                  ))}
                </ul>
              </>
            ) : (
              <strong>
                The template is valid{warnings.length ? `, with ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""}: {resourceCount} resource{resourceCount === 1 ? "" : "s"}
                {schema.length ? `, ${schema.length} parameter${schema.length === 1 ? "" : "s"}` : ""}.
              </strong>
            )}
            {warnings.length > 0 && (
              <ul className="problems problems-warning">
                {warnings.map((p, i) => (
                  <li key={i}>Warning: {formatProblem(p)}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      <aside className="form-side">
        <section className="card">
          <h2>Parameters</h2>
          {schema.length === 0 ? (
            <p className="muted small">{template.trim() ? "This template takes no parameters." : "Parameters appear here once a template is entered."}</p>
          ) : (
            <div className="params-form" data-testid="parameters-form">
              {schema.map((p) => (
                <ParameterField key={p.name} schema={p} value={values[p.name] ?? initialValue(p)} onChange={(v) => setValues((o) => ({ ...o, [p.name]: v }))} error={missing.includes(p.name) ? "Required: the template has no default for it." : undefined} />
              ))}
            </div>
          )}
        </section>

        <section className="card">
          <h2>Options</h2>
          <label className="check">
            <input type="checkbox" checked={rollback} onChange={(e) => setRollback(e.target.checked)} name="rollback" />
            <span>
              Roll back on failure
              <span className="field-hint">Delete what was created if any resource fails.</span>
            </span>
          </label>
          <label className="field field-inline">
            <span className="field-label">Timeout (minutes)</span>
            <input className="input input-narrow" type="number" min={1} value={timeout} onChange={(e) => setTimeoutMins(e.target.value)} placeholder="none" />
          </label>
        </section>

        {error && (
          <div className="notice notice-error" role="alert" data-testid="create-error">
            {error.problems ? (
              <>
                <strong>{problemsHeading(error.problems)}</strong>
                <ul className="problems">
                  {error.problems.map((p, i) => (
                    <li key={i}>{formatProblem(p)}</li>
                  ))}
                </ul>
              </>
            ) : (
              error.message
            )}
          </div>
        )}

        {missing.length > 0 && (
          <p className="field-error" data-testid="create-blocked">
            To create the stack, give {missing.length === 1 ? "a value" : "values"} for {missing.join(", ")}.
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void validate(true)} disabled={!template.trim() || validating}>
            {validating ? "Validating…" : "Validate"}
          </button>
          <button type="submit" className="button button-primary" disabled={creating || !name || !!nameProblem || !template.trim() || missing.length > 0}>
            {creating ? "Creating…" : "Create stack"}
          </button>
        </div>
      </aside>
    </form>
  );
}
