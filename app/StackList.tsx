"use client";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type ApiOutput } from "./lib/trpc";
import { isStackLevelEvent } from "../server/engine/convergence/events";
import { followStack } from "./lib/notifications";
import { getSocket } from "./lib/socket";
import { StatusBadge } from "./components/StatusBadge";
import { toneOf } from "./lib/status";
import { RelativeTime } from "./components/RelativeTime";
import { ConfirmDialog } from "./components/ConfirmDialog";
import { useUrlParams } from "./lib/urlState";
import { defaultDir, dirOf, sortKeyOf, STATUS_FILTERS, viewStacks, type SortKey } from "./lib/stackListView";

type Stack = ApiOutput["stacks"]["list"][number];

/**
 * Top-level stacks, kept current by each stack's notification stream: a stack-level event
 * updates its row in place; a finished operation re-reads the list (resource counts, deletions).
 * The search, status filter and sort live in the URL (?search=&status=&sort=&dir=).
 */
export function StackList() {
  const [stacks, setStacks] = useState<Stack[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [toDelete, setToDelete] = useState<Stack>();
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [view, setView] = useUrlParams(["search", "status", "sort", "dir"] as const);

  const load = useCallback(() => {
    api.stacks.list
      .query()
      .then(setStacks)
      .catch((e: Error) => setError(e.message));
  }, []);
  const scheduleReload = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(load, 300);
  }, [load]);
  // Stacks created or finished elsewhere (another tab, the CLI) appear without a reload.
  useEffect(() => {
    const socket = getSocket();
    const watch = () => socket.emit("watch-stacks");
    socket.on("connect", watch);
    socket.on("stacks-changed", scheduleReload);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("stacks-changed", scheduleReload);
    };
  }, [scheduleReload]);
  useEffect(() => {
    load();
    return () => clearTimeout(reloadTimer.current);
  }, [load]);

  // Each stream starts after the newest event the list already reflects.
  const ids = stacks?.map((s) => `${s.id}\u0000${s.lastEventId}`).join("\u0001") ?? "";
  useEffect(() => {
    if (!ids) return;
    const stops = ids.split("\u0001").map((entry) => {
      const [id, lastEventId] = entry.split("\u0000");
      return followStack(id, (items) => {
        const last = items.filter((n) => isStackLevelEvent(n) && n.stackPath === "").at(-1);
        if (!last) return;
        setStacks((list) =>
          list?.map((s) =>
            s.id === id && last.createdAt >= s.updatedAt
              ? { ...s, action: last.action as Stack["action"], status: last.status as Stack["status"], stackStatus: `${last.action}_${last.status}`, statusReason: last.reason ?? "", updatedAt: last.createdAt }
              : s,
          ),
        );
        if (last.status !== "IN_PROGRESS") scheduleReload();
      }, Number(lastEventId));
    });
    return () => stops.forEach((stop) => stop());
  }, [ids, scheduleReload]);

  async function confirmDelete() {
    if (!toDelete) return;
    setDeleting(true);
    setDeleteError(undefined);
    try {
      const after = await api.stacks.delete.mutate({ stack: toDelete.id });
      const [action, ...status] = after.stackStatus.split("_");
      setStacks((list) => list?.map((s) => (s.id === after.id ? { ...s, action: action as Stack["action"], status: status.join("_") as Stack["status"], stackStatus: after.stackStatus } : s)));
      setToDelete(undefined);
    } catch (e) {
      setDeleteError((e as Error).message);
    } finally {
      setDeleting(false);
    }
  }

  if (error) return <p className="notice notice-error">Could not load stacks: {error}</p>;
  if (!stacks) return <p className="muted">Loading stacks…</p>;
  if (stacks.length === 0) {
    return (
      <section className="empty" data-testid="stacks-empty">
        <h2>No stacks yet</h2>
        <p>
          A stack is a set of resources described by a Heat template. Kiln converges every resource in parallel and
          shows each one&rsquo;s progress live.
        </p>
        <Link className="button button-primary" href="/stacks/new">
          Create your first stack
        </Link>
        <div className="muted small" data-testid="cli-hint">
          <div>Or from a terminal, in Kiln&apos;s folder:</div>
          <pre className="cli-hint">
            <code>{`npx kiln login --url ${window.location.origin}\nnpx kiln stack create NAME -t template.yaml --wait --url ${window.location.origin}`}</code>
          </pre>
        </div>
      </section>
    );
  }
  const shown = viewStacks(stacks, view);
  const sortKey = sortKeyOf(view);
  const dir = dirOf(view);
  const sortBy = (key: SortKey) => {
    const next = key === sortKey ? (dir === "asc" ? "desc" : "asc") : defaultDir(key);
    setView({ sort: key === "created" && next === "desc" ? undefined : key, dir: next === defaultDir(key) ? undefined : next });
  };
  const header = (key: SortKey, label: string, className?: string) => (
    <th className={className} aria-sort={key === sortKey ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" className="sort-button" onClick={() => sortBy(key)} data-testid={`sort-${key}`}>
        {label}
        <span className="sort-mark" aria-hidden>
          {key === sortKey ? (dir === "asc" ? "▲" : "▼") : ""}
        </span>
      </button>
    </th>
  );
  return (
    <>
      <div className="list-tools">
        <input
          className="input"
          type="search"
          placeholder="Search by name or status…"
          value={view.search ?? ""}
          onChange={(e) => setView({ search: e.target.value })}
          aria-label="Search stacks"
          data-testid="stack-search"
        />
        <select className="input" value={view.status ?? ""} onChange={(e) => setView({ status: e.target.value })} aria-label="Filter by status" data-testid="status-filter">
          <option value="">All statuses</option>
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="stacks-shown">
          {shown.length === stacks.length ? `${stacks.length} stack${stacks.length === 1 ? "" : "s"}` : `${shown.length} of ${stacks.length} stacks`}
        </span>
        {shown.length !== stacks.length && (
          <button type="button" className="link-button" onClick={() => setView({ search: undefined, status: undefined })}>
            Clear filters
          </button>
        )}
      </div>
      <table className="table" data-testid="stacks-table">
        <thead>
          <tr>
            {header("name", "Name")}
            {header("status", "Status")}
            <th className="num">Resources</th>
            {header("created", "Created")}
            {header("updated", "Updated")}
            <th className="actions-col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={6} className="muted" data-testid="stacks-none-match">
                No stack matches the search and filter.
              </td>
            </tr>
          )}
          {shown.map((s) => (
            <tr key={s.id} data-testid="stack-row" data-stack={s.name}>
              <td>
                <Link href={`/stacks/${s.id}`} className="stack-link">
                  {s.name}
                </Link>
              </td>
              <td>
                <StatusBadge action={s.action} status={s.status} reason={s.statusReason} />
                {(s.status === "FAILED" || s.action === "ROLLBACK") && s.statusReason && (
                  <div className={`row-reason tone-${toneOf(s.status, s.action)}`} title={s.statusReason}>
                    {s.statusReason}
                  </div>
                )}
              </td>
              <td className="num">{s.resourceCount}</td>
              <td>
                <RelativeTime iso={s.createdAt} />
              </td>
              <td>
                <RelativeTime iso={s.updatedAt} />
              </td>
              <td className="actions-col">
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  onClick={() => {
                    setDeleteError(undefined);
                    setToDelete(s);
                  }}
                  disabled={s.action === "DELETE" && s.status === "IN_PROGRESS"}
                  aria-label={`Delete ${s.name}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={!!toDelete}
        title={`Delete stack “${toDelete?.name ?? ""}”?`}
        confirmLabel="Delete stack"
        danger
        busy={deleting}
        onCancel={() => setToDelete(undefined)}
        onConfirm={() => void confirmDelete()}
      >
        <p>
          Its {toDelete?.resourceCount ?? 0} resource{toDelete?.resourceCount === 1 ? "" : "s"} will be deleted. This cannot be undone.
        </p>
        {deleteError && <p className="notice notice-error">{deleteError}</p>}
      </ConfirmDialog>
    </>
  );
}
