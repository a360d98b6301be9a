"use client";
import { useEffect, useState } from "react";
import { api, type ApiOutput } from "../../lib/trpc";
import { Row } from "./Panels";

type Deployment = NonNullable<ApiOutput["software"]["deploymentOf"]>;

export const DEPLOYMENT_TYPES = new Set(["OS::Heat::SoftwareDeployment", "OS::Heat::StructuredDeployment"]);
export const DEPLOYMENT_GROUP_TYPES = new Set(["OS::Heat::SoftwareDeploymentGroup", "OS::Heat::StructuredDeploymentGroup"]);
const STANDARD = new Set(["deploy_stdout", "deploy_stderr", "deploy_status_code"]);

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

/**
 * The panel's section for a software deployment: the config it applied, the server's exit
 * status, each declared output, and stdout/stderr as the server reported them. Read again
 * whenever the resource moves on (`version`). The live log (`children`) goes after the
 * summary, where it is seen while the script runs.
 */
export function DeploymentSection({ stackId, name, version, children }: { stackId: string; name: string; version: string; children?: React.ReactNode }) {
  const [d, setD] = useState<Deployment | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.software.deploymentOf
      .query({ stack: stackId, resource: name })
      .then((r) => live && (setD(r), setError(undefined)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [stackId, name, version]);

  if (error) return <p className="notice notice-error">{error}</p>;
  if (d === undefined) return children;
  if (d === null)
    return (
      <>
        <p className="muted small">Not deployed yet.</p>
        {children}
      </>
    );
  const out = d.output_values;
  const code = out.deploy_status_code;
  const reported = code !== undefined && code !== null;
  const declared = d.config?.outputs.map((o) => String(o.name)).filter((n) => !STANDARD.has(n)) ?? [];
  // Outputs the server reported that the config does not declare are shown too.
  const extra = Object.keys(out).filter((k) => !STANDARD.has(k) && !declared.includes(k));
  const stdout = typeof out.deploy_stdout === "string" ? out.deploy_stdout : "";
  const stderr = typeof out.deploy_stderr === "string" ? out.deploy_stderr : "";
  const failed = reported && String(code) !== "0";
  return (
    <section className="resource-panel-section deployment-section" data-testid="deployment-section">
      <h3>Deployment</h3>
      <dl className="kv">
        <Row label="Status code">
          <span className={`deploy-code${reported ? (failed ? " deploy-code-bad" : " deploy-code-ok") : ""}`} data-testid="deploy-status-code">
            {reported ? String(code) : "not reported yet"}
          </span>
        </Row>
        <Row label="Config">
          {d.config ? (
            <span data-testid="deploy-config">
              {d.config.name} <span className="muted">({d.config.group})</span>
            </span>
          ) : (
            <span className="muted">gone</span>
          )}
        </Row>
        <Row label="Action">
          <span>
            {d.action} <span className="muted">· {d.status_reason}</span>
          </span>
        </Row>
      </dl>
      {/* The live log, between what was asked and what came back. */}
      {children}
      {(declared.length > 0 || extra.length > 0) && (
        <>
          <h3 style={{ marginTop: 12 }}>Outputs</h3>
          <dl className="kv" data-testid="deploy-outputs">
            {[...declared, ...extra].map((k) => (
              <Row key={k} label={k}>
                {k in out ? <code className="kv-value">{text(out[k])}</code> : <span className="muted">not reported yet</span>}
              </Row>
            ))}
          </dl>
        </>
      )}
      <Stream label="stdout" value={stdout} open={!failed && stdout.split("\n").length <= 12} />
      <Stream label="stderr" value={stderr} open={failed} error />
    </section>
  );
}

function Stream({ label, value, open, error }: { label: string; value: string; open: boolean; error?: boolean }) {
  const lines = value === "" ? 0 : value.replace(/\n$/, "").split("\n").length;
  return (
    <details className={`deploy-stream${error ? " deploy-stream-err" : ""}`} open={open && lines > 0} data-testid={`deploy-${label}`}>
      <summary>
        {label} <span className="muted">{lines === 0 ? "(empty)" : `(${lines} line${lines === 1 ? "" : "s"})`}</span>
      </summary>
      {lines > 0 && <pre>{value}</pre>}
    </details>
  );
}
