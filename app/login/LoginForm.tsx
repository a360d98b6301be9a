"use client";
import { useEffect, useState, type FormEvent } from "react";
import type { SignInKind } from "../../server/identity/identity";
import { safeNext } from "../../server/identity/loginPage";

/** Posts the credentials as JSON; the server answers with an httpOnly session cookie, then we go where the user was headed. */
export function LoginForm() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Kiln's own users, or Keystone's (then with a domain): the server says which.
  const [kind, setKind] = useState<SignInKind>();
  useEffect(() => {
    void fetch("/api/session")
      .then((r) => (r.ok ? (r.json() as Promise<SignInKind>) : undefined))
      .then(setKind, () => {});
  }, []);
  const keystone = kind?.identity === "keystone" ? kind : undefined;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const domain = form.get("domain");
      const res = await fetch("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: form.get("username"), password: form.get("password"), ...(domain ? { domain } : {}) }),
      });
      if (res.ok) return window.location.assign(safeNext(new URLSearchParams(window.location.search).get("next")));
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      setError(body.error ?? `Signing in failed (${res.status})`);
    } catch {
      setError("Kiln cannot be reached; is the server running?");
    }
    setBusy(false);
  }

  return (
    <>
      <form className="card login-form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">User name</span>
          <input className="input" name="username" autoComplete="username" required autoFocus />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input className="input" name="password" type="password" autoComplete="current-password" required />
        </label>
        {keystone && (
          <label className="field">
            <span className="field-label">Domain</span>
            <input className="input" name="domain" defaultValue={keystone.defaultDomain} required />
          </label>
        )}
        {error && (
          <p className="notice notice-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button className="button button-primary" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {kind && (
        <p className="muted small login-help">
          {keystone ? (
            <>Sign in with your OpenStack (Keystone) user and password; your projects and roles come from Keystone.</>
          ) : (
            <>
              First start? Sign in as <code>admin</code> with the password the server&apos;s log gives, also kept in <code>initial-admin-password</code> in its data directory.
            </>
          )}
        </p>
      )}
    </>
  );
}
