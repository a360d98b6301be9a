"use client";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { RelativeTime } from "../components/RelativeTime";
import { api, type ApiOutput } from "../lib/trpc";
import type { Role } from "../../server/identity/roles";

type User = ApiOutput["users"]["list"][number];
type Project = ApiOutput["projects"]["list"][number];

/** What the admin is about to do that cannot be undone, asked in a dialog first. */
type Pending = { kind: "user"; name: string } | { kind: "project"; name: string } | { kind: "role"; user: string; project: string };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Users, projects and roles, for administrators: every change goes through the same API the CLI
 * uses, and the server refuses what would leave Kiln without an administrator.
 */
export function Administration() {
  const [users, setUsers] = useState<User[]>();
  const [projects, setProjects] = useState<Project[]>();
  const [loadError, setLoadError] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [passwordFor, setPasswordFor] = useState<string>();

  const load = useCallback(async () => {
    try {
      const [u, p] = await Promise.all([api.users.list.query(), api.projects.list.query()]);
      setUsers(u);
      setProjects(p);
    } catch (e) {
      setLoadError(message(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  /** Runs a change, then shows what happened (or why not) and reloads the lists. */
  const act = async (change: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await change());
      await load();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <p className="notice notice-error" role="alert">
        {loadError}
      </p>
    );
  }
  if (!users || !projects) return <p className="muted">Loading…</p>;

  const confirmPending = async () => {
    const p = pending!;
    await act(async () => {
      if (p.kind === "user") await api.users.delete.mutate({ name: p.name });
      else if (p.kind === "project") await api.projects.delete.mutate({ name: p.name });
      else await api.roles.remove.mutate({ user: p.user, project: p.project });
      return p.kind === "role" ? `${p.user} has no role in ${p.project} now` : `Deleted ${p.kind} ${p.name}`;
    });
    setPending(undefined);
  };

  return (
    <div className="admin">
      {error && (
        <p className="notice notice-error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}

      <section className="admin-section" aria-labelledby="users-title">
        <div className="admin-section-head">
          <h2 id="users-title">Users</h2>
          <NewUserForm busy={busy} onCreate={(name, password) => act(async () => (await api.users.create.mutate({ name, password }), `Created user ${name}`))} />
        </div>
        <table className="table" data-testid="users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Roles</th>
              <th>Created</th>
              <th className="actions-col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.name} data-testid={`user-${u.name}`}>
                <td className="stack-link">{u.name}</td>
                <td>
                  {u.roles.length === 0 && <span className="muted small">no role: cannot see any project</span>}
                  <span className="role-chips">
                    {u.roles.map((r) => (
                      <span key={r.project} className="role-chip">
                        {r.role} in <strong>{r.project}</strong>
                        <button
                          type="button"
                          className="role-chip-remove"
                          aria-label={`Take ${u.name}'s role in ${r.project} away`}
                          title={`Take ${u.name}'s role in ${r.project} away`}
                          onClick={() => setPending({ kind: "role", user: u.name, project: r.project })}
                        >
                          ×
                        </button>
                      </span>
                    ))}
                  </span>
                </td>
                <td className="muted small">
                  <RelativeTime iso={u.createdAt} />
                </td>
                <td className="actions-col">
                  <button type="button" className="button button-small" onClick={() => setPasswordFor(u.name)}>
                    Set password
                  </button>{" "}
                  <button type="button" className="button button-small button-danger-quiet" onClick={() => setPending({ kind: "user", name: u.name })}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <RoleForm
          busy={busy}
          users={users.map((u) => u.name)}
          projects={projects.map((p) => p.name)}
          onAdd={(user, project, role) => act(async () => (await api.roles.add.mutate({ user, project, role }), `${user} is now a ${role} in ${project}`))}
        />
      </section>

      <section className="admin-section" aria-labelledby="projects-title">
        <div className="admin-section-head">
          <h2 id="projects-title">Projects</h2>
          <NewProjectForm busy={busy} onCreate={(name) => act(async () => (await api.projects.create.mutate({ name }), `Created project ${name}`))} />
        </div>
        <table className="table" data-testid="projects">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Members</th>
              <th>Created</th>
              <th className="actions-col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id} data-testid={`project-${p.name}`}>
                <td className="stack-link">{p.name}</td>
                <td className="num">{p.members}</td>
                <td className="muted small">
                  <RelativeTime iso={p.createdAt} />
                </td>
                <td className="actions-col">
                  <button type="button" className="button button-small button-danger-quiet" onClick={() => setPending({ kind: "project", name: p.name })}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Only a project without stacks can be deleted; the roles in it go with it.</p>
      </section>

      <ConfirmDialog
        open={!!pending}
        title={pending?.kind === "role" ? "Take the role away?" : `Delete ${pending?.kind ?? ""} ${pending && "name" in pending ? pending.name : ""}?`}
        confirmLabel={pending?.kind === "role" ? "Take role away" : `Delete ${pending?.kind ?? ""}`}
        danger
        busy={busy}
        onConfirm={() => void confirmPending()}
        onCancel={() => setPending(undefined)}
      >
        {pending?.kind === "user" && <>Their sessions end at once and they can no longer sign in.</>}
        {pending?.kind === "project" && <>Everyone&apos;s role in it goes too.</>}
        {pending?.kind === "role" && (
          <>
            {pending.user} will no longer see or change anything in {pending.project}.
          </>
        )}
      </ConfirmDialog>

      <SetPasswordDialog
        user={passwordFor}
        busy={busy}
        onCancel={() => setPasswordFor(undefined)}
        onSet={async (password) => {
          const name = passwordFor!;
          if (await act(async () => (await api.users.setPassword.mutate({ name, password }), `Set the password of ${name}; their sessions have ended`))) setPasswordFor(undefined);
        }}
      />
    </div>
  );
}

function NewUserForm({ busy, onCreate }: { busy: boolean; onCreate: (name: string, password: string) => Promise<boolean> }) {
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    if (await onCreate(String(data.get("name")), String(data.get("password")))) form.reset();
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label="New user">
      <input className="input input-small" name="name" placeholder="User name" aria-label="New user's name" required />
      <input className="input input-small" name="password" type="password" placeholder="Password (8+ characters)" aria-label="New user's password" autoComplete="new-password" required minLength={8} />
      <button className="button button-small button-primary" type="submit" disabled={busy}>
        Create user
      </button>
    </form>
  );
}

function NewProjectForm({ busy, onCreate }: { busy: boolean; onCreate: (name: string) => Promise<boolean> }) {
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (await onCreate(String(new FormData(form).get("name")))) form.reset();
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label="New project">
      <input className="input input-small" name="name" placeholder="Project name" aria-label="New project's name" required />
      <button className="button button-small button-primary" type="submit" disabled={busy}>
        Create project
      </button>
    </form>
  );
}

function RoleForm({ busy, users, projects, onAdd }: { busy: boolean; users: string[]; projects: string[]; onAdd: (user: string, project: string, role: Role) => Promise<boolean> }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    void onAdd(String(data.get("user")), String(data.get("project")), String(data.get("role")) as Role);
  };
  return (
    <form className="admin-inline-form admin-role-form" onSubmit={submit} aria-label="Give a role">
      <span className="small">Give</span>
      <select className="input input-small" name="user" aria-label="User">
        {users.map((u) => (
          <option key={u}>{u}</option>
        ))}
      </select>
      <span className="small">the role</span>
      <select className="input input-small" name="role" aria-label="Role" defaultValue="member">
        <option value="reader">reader (sees)</option>
        <option value="member">member (changes)</option>
        <option value="admin">admin (manages users, sees every project)</option>
      </select>
      <span className="small">in</span>
      <select className="input input-small" name="project" aria-label="Project">
        {projects.map((p) => (
          <option key={p}>{p}</option>
        ))}
      </select>
      <button className="button button-small" type="submit" disabled={busy}>
        Give role
      </button>
    </form>
  );
}

function SetPasswordDialog({ user, busy, onSet, onCancel }: { user: string | undefined; busy: boolean; onSet: (password: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState("");
  useEffect(() => setPassword(""), [user]);
  return (
    <ConfirmDialog open={!!user} title={`Set the password of ${user ?? ""}`} confirmLabel="Set password" busy={busy} confirmDisabled={password.length < 8} onConfirm={() => onSet(password)} onCancel={onCancel}>
      <label className="field">
        <span className="field-label">New password</span>
        <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-label="New password" />
        <span className="field-hint">At least 8 characters. {user}&apos;s sessions end: they sign in again with this one.</span>
      </label>
    </ConfirmDialog>
  );
}
