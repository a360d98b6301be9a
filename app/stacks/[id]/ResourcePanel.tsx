"use client";
import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { RelativeTime } from "../../components/RelativeTime";
import { StatusBadge } from "../../components/StatusBadge";
import type { Notification } from "../../lib/notifications";
import { api, type ApiOutput } from "../../lib/trpc";
import { CopyButton, Row } from "./Panels";
import { resourceKey } from "./stackPaths";
import { AgentSection } from "./AgentState";
import { DEPLOYMENT_GROUP_TYPES, DEPLOYMENT_TYPES, DeploymentSection } from "./DeploymentSection";
import type { LiveResource } from "./useLiveStack";

type Detail = ApiOutput["resources"]["show"];

/** A value as text; an empty string shows as "" (not as nothing), null as null. */
const show = (v: unknown) => (typeof v === "string" && v !== "" ? v : JSON.stringify(v, null, 2));
/** How many of its latest events and log lines the panel lists (the stream beside it has them all). */
const RECENT = 40;

interface Props {
  resource: LiveResource;
  /** The stack the resource is in: the page's own, or the nested stack holding it. */
  stackId: string;
  notifications: Notification[];
  rev: number;
  onSelect: (key: string | undefined) => void;
}

/**
 * What `kiln stack resource show` tells, for the selected resource: physical id, type, state and
 * reason, what it depends on and what depends on it, properties (hidden values come masked) and
 * attributes, its latest events and, for resources that log (software deployments), their log.
 * Read again whenever the resource moves on.
 */
export function ResourcePanel({ resource, stackId, notifications, rev, onSelect }: Props) {
  const [detail, setDetail] = useState<Detail>();
  const [error, setError] = useState<string>();
  const { name, stackPath } = resource;

  useEffect(() => {
    let live = true;
    api.resources.show
      .query({ stack: stackId, resource: name })
      .then((d) => live && (setDetail(d), setError(undefined)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [stackId, name, resource.lastEventId, resource.status]);

  const { events, log } = useMemo(() => {
    const key = resourceKey(stackPath, name);
    const mine = notifications.filter((n) => resourceKey(n.stackPath, n.resourceName ?? "") === key);
    return { events: mine.filter((n) => n.kind === "event").slice(-RECENT).reverse(), log: mine.filter((n) => n.kind === "debug").slice(-RECENT) };
  }, [notifications, rev, stackPath, name]); // `rev` stands for changes inside the mutable model, which React cannot see.

  const keyOf = (sibling: string) => resourceKey(stackPath, sibling);
  const logSection = log.length > 0 && (
    <section className="resource-panel-section" data-testid="resource-log">
      <h3>Log</h3>
      <LiveLog text={log.map((n) => n.reason).join("\n")} />
    </section>
  );
  const fresh = detail?.name === name ? detail : undefined;

  return (
    <aside className="resource-panel" aria-label={`Resource ${name}`} data-testid="resource-panel">
      <header className="resource-panel-head">
        <div>
          <h2>{name}</h2>
          <p className="muted small resource-panel-type">{resource.type}</p>
        </div>
        <button type="button" className="resource-panel-close" aria-label="Close the resource panel" title="Close (Esc)" onClick={() => onSelect(undefined)}>
          ×
        </button>
      </header>
      <div className="resource-panel-body">
        <p>
          <StatusBadge action={resource.action} status={resource.status} />
        </p>
        {resource.reason && <p className={`resource-panel-reason${resource.status === "FAILED" ? " tone-failed" : ""}`}>{resource.reason}</p>}
        {resource.drift && resource.drift.length > 0 && (
          <div className="resource-panel-drift small" data-testid="resource-drift">
            <strong>Drifted in the cloud</strong> (found by the last check; an update sets it back):
            <ul>
              {resource.drift.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}
        {error && <p className="notice notice-error">{error}</p>}
        <dl className="kv">
          <Row label="Physical ID">
            {resource.physicalId ? (
              <>
                <code className="kv-value" data-testid="physical-id">
                  {resource.physicalId}
                </code>
                <CopyButton text={resource.physicalId} label="physical id" />
              </>
            ) : (
              <span className="muted">none yet</span>
            )}
          </Row>
          {resource.cloudState && (
            <Row label="In the cloud">
              <code className="kv-value" data-testid="panel-cloud-state">
                {resource.cloudState}
              </code>
            </Row>
          )}
          {resource.nestedStackId && (
            <Row label="Nested stack">
              <Link href={`/stacks/${resource.nestedStackId}`}>open</Link>
            </Row>
          )}
          <Row label="Depends on">
            <Names names={resource.requires} onPick={(n) => onSelect(keyOf(n))} />
          </Row>
          <Row label="Required by">{fresh ? <Names names={fresh.requiredBy} onPick={(n) => onSelect(keyOf(n))} /> : <span className="muted">…</span>}</Row>
          {fresh && (
            <Row label="Updated">
              <RelativeTime iso={fresh.updatedAt} />
            </Row>
          )}
        </dl>

        {resource.agent !== undefined && resource.physicalId && <AgentSection agent={resource.agent} stackId={stackId} name={name} serverId={resource.physicalId} />}
        {DEPLOYMENT_GROUP_TYPES.has(resource.type) && (
          <p className="muted small">Each server&apos;s deployment is a member of this group: open it with + on the node, then click a member for its output.</p>
        )}
        {DEPLOYMENT_TYPES.has(resource.type) ? (
          <DeploymentSection stackId={stackId} name={name} version={`${resource.lastEventId}:${resource.status}`}>
            {logSection}
          </DeploymentSection>
        ) : (
          logSection
        )}

        <Section title="Properties" values={fresh?.properties} empty="No properties." />
        <Section title="Attributes" values={fresh?.attributes} empty="No attributes yet." />

        <section className="resource-panel-section">
          <h3>Events</h3>
          {events.length === 0 ? (
            <p className="muted small">None yet.</p>
          ) : (
            <ol className="resource-events" data-testid="resource-events">
              {events.map((n) => (
                <li key={n.id}>
                  <span className="resource-event-state">
                    {n.action}_{n.status}
                  </span>{" "}
                  <span className="muted small">
                    <RelativeTime iso={n.createdAt} />
                  </span>
                  {n.reason && <div className="small resource-event-reason">{n.reason}</div>}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </aside>
  );
}

function Names({ names, onPick }: { names: string[]; onPick: (name: string) => void }) {
  if (names.length === 0) return <span className="muted">nothing</span>;
  return (
    <span className="resource-names">
      {names.map((n) => (
        <button key={n} type="button" className="link-button" onClick={() => onPick(n)}>
          {n}
        </button>
      ))}
    </span>
  );
}

function Section({ title, values, empty }: { title: string; values: Record<string, unknown> | undefined; empty: string }) {
  const entries = values ? Object.entries(values).sort(([a], [b]) => a.localeCompare(b)) : undefined;
  return (
    <section className="resource-panel-section" data-testid={`resource-${title.toLowerCase()}`}>
      <h3>{title}</h3>
      {!entries ? (
        <p className="muted small">…</p>
      ) : entries.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <dl className="kv">
          {entries.map(([k, v]) => (
            <Row key={k} label={k}>
              <code className="kv-value">{show(v)}</code>
            </Row>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The log, kept scrolled to its newest line unless the reader scrolled up to read an older one. */
function LiveLog({ text }: { text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={ref}
      className="resource-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
      }}
    >
      {text}
    </pre>
  );
}
