"use client";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../../lib/trpc";
import { useThrottledValue } from "../../lib/useThrottledValue";
import { useUrlParams } from "../../lib/urlState";
import { StatusBadge } from "../../components/StatusBadge";
import { toneOf } from "../../lib/status";
import { RelativeTime } from "../../components/RelativeTime";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ActionError, useActionError } from "../../components/ActionError";
import { ResourceGraph } from "./ResourceGraph";
import { EventStream } from "./EventStream";
import { OutputsPanel, ParametersPanel } from "./Panels";
import { ResourcePanel } from "./ResourcePanel";
import { Timeline } from "./Timeline";
import { GRAPH_REDRAW_MS } from "./resourceChanges";
import { useLiveStack } from "./useLiveStack";
import { countResources } from "./liveResources";

/** The live view of one stack: header and actions, graph beside the event stream, then outputs and parameters. */
export function StackPage({ idOrName }: { idOrName: string }) {
  const { model, rev, error, setStack } = useLiveStack(idOrName);
  const [selected, setSelected] = useSelectedInUrl();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [actionError, failAction, clearActionError] = useActionError();
  const stack = model.stack;

  // Resources are only ever added, so the count says when the list of names changed.
  const resourceKeys = useMemo(() => [...model.resources.keys()].sort(), [model.resources, model.resources.size]);
  // The stream is drawn on every frame; the graph and the timeline at most five times a second,
  // in an interruptible render, so a burst of notifications reaches the stream without waiting
  // for hundreds of nodes.
  const drawnRev = useThrottledValue(rev, GRAPH_REDRAW_MS);
  const counts = useMemo(() => countResources(model.resources.values()), [model.resources, rev]); // `rev` stands for changes inside the mutable model, which React cannot see.

  if (error) return <p className="notice notice-error">Could not load the stack: {error}</p>;
  if (!stack && model.gone) {
    return (
      <section className="empty">
        <h2>Stack not found</h2>
        <p>{model.gone}. It may have been deleted.</p>
        <Link className="button" href="/">
          Back to stacks
        </Link>
      </section>
    );
  }
  if (!stack) return <p className="muted">Loading stack…</p>;

  const selectedResource = selected ? model.resources.get(selected) : undefined;
  const inProgress = stack.status === "IN_PROGRESS";
  const tone = toneOf(stack.status, stack.action);
  const troubled = tone === "failed" || tone === "rolledback";
  const nested = stack.stackPath !== "";
  async function run(name: string, fn: () => Promise<unknown>) {
    setBusy(name);
    clearActionError();
    try {
      await fn();
    } catch (e) {
      failAction(e);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className="stack-page" data-testid="stack-page">
      <header className="stack-head">
        <div className="stack-title">
          <p className="crumbs">
            <Link href="/">Stacks</Link> /{" "}
            {nested && (
              <>
                <Link href={`/stacks/${stack.rootStackId}`} data-testid="root-stack-link">
                  root stack
                </Link>{" "}
                / {stack.stackPath} /
              </>
            )}
          </p>
          <h1 data-testid="stack-name">{stack.name}</h1>
          <StatusBadge action={stack.action} status={stack.status} reason={stack.statusReason} />
          {model.gone && <span className="badge badge-idle">deleted</span>}
        </div>
        <div className="stack-actions">
          {nested ? (
            <span className="muted small">A nested stack is updated and deleted with its root stack.</span>
          ) : (
            <>
              {inProgress && stack.action !== "DELETE" && (
                <button type="button" className="button" disabled={!!busy} onClick={() => void run("cancel", () => api.stacks.cancel.mutate({ stack: stack.id }).then(setStack))}>
                  {busy === "cancel" ? "Cancelling…" : "Cancel"}
                </button>
              )}
              {!model.gone && stack.action !== "DELETE" && (
                <Link className="button" href={`/stacks/${stack.id}/edit`}>
                  Edit template
                </Link>
              )}
              <button type="button" className="button" disabled={!!busy || inProgress || !!model.gone} onClick={() => void run("check", () => api.stacks.check.mutate({ stack: stack.id }).then(setStack))}>
                {busy === "check" ? "Checking…" : "Check"}
              </button>
              <button type="button" className="button button-danger-quiet" disabled={!!busy || !!model.gone || (inProgress && stack.action === "DELETE")} onClick={() => setConfirmDelete(true)}>
                Delete…
              </button>
            </>
          )}
        </div>
      </header>
      <div className="stack-sub">
        <p className={`stack-reason${troubled ? ` tone-${tone}` : ""}`} data-testid="stack-reason">
          {stack.statusReason}
        </p>
        <p className="muted small stack-meta">
          <span data-testid="resource-counts">
            {counts.complete} of {counts.total} resources complete
            {counts.progress ? ` · ${counts.progress} in progress` : ""}
            {counts.notStarted ? ` · ${counts.notStarted} not started` : ""}
            {counts.failed ? ` · ${counts.failed} failed` : ""}
            {counts.undone ? ` · ${counts.undone} failed, then rolled back or retried` : ""}
          </span>
          {" · "}updated <RelativeTime iso={stack.updatedAt} />
          {stack.description ? ` · ${stack.description}` : ""}
        </p>
      </div>
      {stack.action === "DELETE" && stack.status === "COMPLETE" && (
        <p className="notice" data-testid="deleted-notice">
          This stack has been deleted; its resources are shown as they were last seen. <Link href="/">Back to stacks</Link>
        </p>
      )}
      <ActionError failure={actionError} onDismiss={clearActionError} />

      <div className="live">
        <div className="graph-area">
          <ResourceGraph resources={model.resources} changes={model.changes} edges={model.edges} rev={drawnRev} selected={selected} onSelect={setSelected} />
          {selectedResource && (
            <ResourcePanel
              resource={selectedResource}
              stackId={selectedResource.stackPath ? (model.resources.get(selectedResource.stackPath)?.nestedStackId ?? stack.id) : stack.id}
              notifications={model.notifications}
              rev={rev}
              onSelect={setSelected}
            />
          )}
        </div>
        <EventStream notifications={model.notifications} rev={rev} resourceKeys={resourceKeys} selected={selected} onSelect={setSelected} stackName={stack.name} />
      </div>

      <Timeline resources={model.resources} rev={drawnRev} since={model.operationStart} selected={selected} onSelect={setSelected} />

      <div className="panels">
        <OutputsPanel outputs={stack.outputs} />
        <ParametersPanel parameters={stack.parameters} />
      </div>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete stack “${stack.name}”?`}
        confirmLabel="Delete stack"
        danger
        busy={busy === "delete"}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() =>
          void run("delete", async () => {
            await api.stacks.delete.mutate({ stack: stack.id });
            setConfirmDelete(false);
          })
        }
      >
        <p>
          Every resource of the stack ({counts.total}) is deleted. You can watch the deletion here; the stack leaves the list once it is done.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** The selected resource, kept in the page's URL (?resource=KEY) so a view can be linked; Escape clears it. */
function useSelectedInUrl(): [string | undefined, (key: string | undefined) => void] {
  const [params, setParams] = useUrlParams(["resource"] as const);
  const select = useCallback((key: string | undefined) => setParams({ resource: key }), [setParams]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !(e.target instanceof HTMLElement && e.target.closest("dialog"))) select(undefined);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [select]);
  return [params.resource, select];
}
