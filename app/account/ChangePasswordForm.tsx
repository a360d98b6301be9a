"use client";
import { useState, type FormEvent } from "react";
import { api } from "../lib/trpc";

/** Changes the signed-in user's own password; the server ends their other sessions. */
export function ChangePasswordForm() {
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setError(undefined);
    setDone(false);
    if (data.get("password") !== data.get("again")) return setError("The two new passwords differ");
    setBusy(true);
    try {
      await api.users.changeOwnPassword.mutate({ current: String(data.get("current")), password: String(data.get("password")) });
      setDone(true);
      form.reset();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setBusy(false);
  }

  return (
    <form className="card login-form" onSubmit={submit} aria-label="Change your password">
      <h2 className="card-title">Change your password</h2>
      <label className="field">
        <span className="field-label">Current password</span>
        <input className="input" name="current" type="password" autoComplete="current-password" required />
      </label>
      <div className="field">
        <label className="field-label" htmlFor="new-password">
          New password
        </label>
        <input className="input" id="new-password" name="password" type="password" autoComplete="new-password" required minLength={8} aria-describedby="new-password-hint" />
        <span className="field-hint" id="new-password-hint">
          At least 8 characters.
        </span>
      </div>
      <label className="field">
        <span className="field-label">New password again</span>
        <input className="input" name="again" type="password" autoComplete="new-password" required minLength={8} />
      </label>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="notice notice-ok" role="status">
          Password changed. Your other sessions (other browsers, the CLI) have ended.
        </p>
      )}
      <button className="button button-primary" type="submit" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
