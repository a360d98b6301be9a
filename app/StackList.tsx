"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { api } from "./lib/trpc";
import { StatusBadge } from "./components/StatusBadge";
import { RelativeTime } from "./components/RelativeTime";

type Stack = Awaited<ReturnType<typeof api.stacks.list.query>>[number];

export function StackList() {
  const [stacks, setStacks] = useState<Stack[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.stacks.list
      .query()
      .then(setStacks)
      .catch((e: Error) => setError(e.message));
  }, []);

  if (error) return <p className="notice notice-error">Could not load stacks: {error}</p>;
  if (!stacks) return <p className="muted">Loading stacks…</p>;
  if (stacks.length === 0) {
    return (
      <section className="empty" data-testid="stacks-empty">
        <h2>No stacks yet</h2>
        <p>
          A stack is a set of resources described by a Heat template. Kiln converges every resource in parallel and
          shows each one's progress live.
        </p>
        <Link className="button button-primary" href="/stacks/new">
          Create your first stack
        </Link>
        <p className="muted small">
          Or from a terminal: <code>kiln stack create NAME -t template.yaml --wait</code>
        </p>
      </section>
    );
  }
  return (
    <table className="table" data-testid="stacks-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Status</th>
          <th className="num">Resources</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {stacks.map((s) => (
          <tr key={s.id}>
            <td>
              <Link href={`/stacks/${s.id}`}>{s.name}</Link>
            </td>
            <td>
              <StatusBadge action={s.action} status={s.status} reason={s.statusReason} />
            </td>
            <td className="num">{s.resourceCount}</td>
            <td>
              <RelativeTime iso={s.updatedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
