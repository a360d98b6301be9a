"use client";
import { useCallback, useEffect, useState, type FormEvent, type InputHTMLAttributes } from "react";
import { CloudEntryInvalid, entryFromYaml, type CloudEntry } from "../../server/clouds/cloudsYamlEntry";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { RelativeTime } from "../components/RelativeTime";
import { api } from "../lib/trpc";

type Shown = Awaited<ReturnType<typeof api.cloud.show.query>>;
type Whoami = Awaited<ReturnType<typeof api.session.whoami.query>>;
type Mode = "fields" | "paste";
type FieldErrors = Partial<Record<string, string>>;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The form's fields as a clouds.yaml entry, or the first problem of each field. */
function entryFromFields(data: FormData): { entry?: CloudEntry; errors: FieldErrors } {
  const get = (k: string) => String(data.get(k) ?? "").trim();
  const errors: FieldErrors = {};
  const authUrl = get("auth_url");
  if (!authUrl) errors.auth_url = "Give Keystone's URL, e.g. https://keystone.example.com:5000/v3";
  else if (!/^https?:\/\/[^/]/.test(authUrl)) errors.auth_url = "An http:// or https:// URL";
  const kind = get("auth_type");
  const auth: Record<string, string> = { auth_url: authUrl };
  if (kind === "v3applicationcredential") {
    if (!get("application_credential_id")) errors.application_credential_id = "Give the application credential's ID";
    if (!get("application_credential_secret")) errors.application_credential_secret = "Give the application credential's secret";
    Object.assign(auth, { application_credential_id: get("application_credential_id"), application_credential_secret: get("application_credential_secret") });
  } else {
    if (!get("username")) errors.username = "Give the OpenStack user name";
    if (!get("password")) errors.password = "Give the user's password";
    if (!get("project_name")) errors.project_name = "Give the OpenStack project the stacks act in";
    Object.assign(auth, {
      username: get("username"),
      password: get("password"),
      user_domain_name: get("user_domain_name") || "Default",
      project_name: get("project_name"),
      project_domain_name: get("project_domain_name") || "Default",
    });
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { entry: { auth, auth_type: kind, interface: get("interface") || "public", ...(get("region_name") ? { region_name: get("region_name") } : {}) }, errors };
}

/** A labelled input whose error sits outside the label, so the input's name stays its label. */
function Field({ name, label, error, wide, ...input }: { name: string; label: string; error?: string; wide?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  const id = `cloud-${name}`;
  return (
    <div className={wide ? "field cloud-wide" : "field"}>
      <label className="field-label" htmlFor={id}>{label}</label>
      <input className="input" id={id} name={name} {...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})} {...input} />
      {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
    </div>
  );
}

/** A project's OpenStack credentials: what they are (never the secret), and, for its members, setting, testing and removing them. */
export function CloudCredentials() {
  const [shown, setShown] = useState<Shown>();
  const [me, setMe] = useState<Whoami>();
  const [loadError, setLoadError] = useState<string>();
  const [mode, setMode] = useState<Mode>("fields");
  const [authType, setAuthType] = useState("password");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [confirmRemove, setConfirmRemove] = useState(false);

  const load = useCallback(() => api.cloud.show.query().then(setShown, (e: unknown) => setLoadError(message(e))), []);
  useEffect(() => {
    void load();
    void api.session.whoami.query().then(setMe, () => {});
  }, [load]);

  const canChange = me?.project && me.project.role !== "reader";

  async function act(what: string, run: () => Promise<string>) {
    setBusy(what);
    setRefused(undefined);
    setNotice(undefined);
    try {
      setNotice(await run());
    } catch (err) {
      setRefused(message(err));
    }
    setBusy(undefined);
  }

  function entryOf(form: HTMLFormElement): CloudEntry | undefined {
    const data = new FormData(form);
    if (mode === "paste") {
      try {
        const entry = entryFromYaml(String(data.get("yaml") ?? ""));
        setErrors({});
        return entry;
      } catch (err) {
        setErrors({ yaml: err instanceof CloudEntryInvalid ? err.message : message(err) });
        return undefined;
      }
    }
    const { entry, errors } = entryFromFields(data);
    setErrors(errors);
    return entry;
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const entry = entryOf(form);
    if (!entry) return;
    await act("save", async () => {
      const saved = await api.cloud.set.mutate({ entry });
      form.reset();
      setAuthType("password");
      await load();
      return `Keystone accepted the credentials (OpenStack project ${saved.openstackProjectId}). New work of this project acts in this cloud.`;
    });
  }

  async function testForm(form: HTMLFormElement | null) {
    const entry = form && entryOf(form);
    if (!entry) return;
    await act("test-form", async () => `Keystone accepts these credentials (OpenStack project ${(await api.cloud.test.mutate({ entry })).openstackProjectId}). Nothing was saved.`);
  }

  if (loadError) return <p className="notice notice-error" role="alert">{loadError}</p>;
  if (!shown) return <p className="muted">Loading…</p>;
  const own = shown.own;
  const invalid = (k: string) => (errors[k] ? { "aria-invalid": true as const, "aria-describedby": `cloud-${k}-error` } : {});
  const fieldError = (k: string) => errors[k] && <span className="field-error" id={`cloud-${k}-error`}>{errors[k]}</span>;

  return (
    <div className="cloud-layout">
      {refused && <p className="notice notice-error cloud-notice" role="alert" data-testid="cloud-refused">{refused}</p>}
      {notice && <p className="notice notice-ok cloud-notice" role="status" data-testid="cloud-notice">{notice}</p>}
      <section className="card" aria-label="This project's cloud">
        <h2 className="card-title">OpenStack credentials of project {me?.project?.name ?? ""}</h2>
        {own ? (
          <>
            <dl className="kv cloud-kv" data-testid="cloud-view">
              <div className="kv-row"><dt className="kv-key">Auth URL</dt><dd>{own.authUrl}</dd></div>
              {own.user && <div className="kv-row"><dt className="kv-key">User</dt><dd>{own.user}{own.userDomain ? ` (domain ${own.userDomain})` : ""}</dd></div>}
              {own.project && <div className="kv-row"><dt className="kv-key">Project</dt><dd>{own.project}{own.projectDomain ? ` (domain ${own.projectDomain})` : ""}</dd></div>}
              {own.applicationCredential && <div className="kv-row"><dt className="kv-key">Application credential</dt><dd>{own.applicationCredential}</dd></div>}
              <div className="kv-row"><dt className="kv-key">Region</dt><dd>{own.region ?? <span className="muted">any</span>}</dd></div>
              <div className="kv-row"><dt className="kv-key">Interface</dt><dd>{own.interface}</dd></div>
              <div className="kv-row"><dt className="kv-key">Secret</dt><dd data-testid="cloud-secret">{own.secret}</dd></div>
              <div className="kv-row"><dt className="kv-key">Saved</dt><dd><RelativeTime iso={own.updatedAt} /></dd></div>
            </dl>
            {canChange && (
              <div className="cloud-actions">
                <button className="button button-small" type="button" disabled={!!busy} onClick={() => act("test", async () => `Keystone accepts the saved credentials (OpenStack project ${(await api.cloud.test.mutate({})).openstackProjectId}).`)}>
                  {busy === "test" ? "Testing…" : "Test saved credentials"}
                </button>
                <button className="button button-small button-danger-quiet" type="button" disabled={!!busy} onClick={() => setConfirmRemove(true)}>
                  Remove
                </button>
              </div>
            )}
          </>
        ) : (
          <p className="muted" data-testid="cloud-none">
            This project has no credentials of its own.{" "}
            {shown.serverCloud ? <>Its stacks act in the server&apos;s cloud: {shown.serverCloud}.</> : <>The server has no cloud either: OpenStack resources of its stacks fail until credentials are set.</>}
          </p>
        )}
        {!canChange && me && <p className="field-hint">Only the project&apos;s members can change its credentials.</p>}
      </section>

      {canChange && (
        <form className="card cloud-form" onSubmit={save} onInput={(e) => { const name = (e.target as HTMLInputElement).name; if (errors[name]) setErrors({ ...errors, [name]: undefined }); }} aria-label="Set the project's credentials" noValidate>
          <h2 className="card-title">{own ? "Replace the credentials" : "Set the credentials"}</h2>
          <p className="field-hint">Kiln asks Keystone for a token before it saves them; the secret is stored encrypted and never shown again.</p>
          <div className="segmented" role="radiogroup" aria-label="How to give them">
            <label><input type="radio" name="mode" checked={mode === "fields"} onChange={() => (setMode("fields"), setErrors({}))} /> Fill in fields</label>
            <label><input type="radio" name="mode" checked={mode === "paste"} onChange={() => (setMode("paste"), setErrors({}))} /> Paste a clouds.yaml entry</label>
          </div>
          {mode === "paste" ? (
            <div className="field">
              <label className="field-label" htmlFor="cloud-yaml">clouds.yaml</label>
              <textarea className="input code-input" id="cloud-yaml" name="yaml" rows={10} spellCheck={false} placeholder={"clouds:\n  mycloud:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      username: alice\n      password: …\n      project_name: web\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne"} {...invalid("yaml")} />
              {fieldError("yaml")}
            </div>
          ) : (
            <div className="cloud-fields">
              <Field name="auth_url" label="Auth URL" type="url" placeholder="https://keystone.example.com:5000/v3" error={errors.auth_url} wide />
              <div className="field cloud-wide">
                <label className="field-label" htmlFor="cloud-auth_type">Authenticate with</label>
                <select className="input" id="cloud-auth_type" name="auth_type" value={authType} onChange={(e) => (setAuthType(e.target.value), setErrors({}))}>
                  <option value="password">User name and password</option>
                  <option value="v3applicationcredential">Application credential</option>
                </select>
              </div>
              {authType === "password" ? (
                <>
                  <Field name="username" label="User name" autoComplete="off" error={errors.username} />
                  <Field name="user_domain_name" label="User domain" placeholder="Default" />
                  <Field name="password" label="Password" type="password" autoComplete="new-password" error={errors.password} />
                  <span />
                  <Field name="project_name" label="Project" error={errors.project_name} />
                  <Field name="project_domain_name" label="Project domain" placeholder="Default" />
                </>
              ) : (
                <>
                  <Field name="application_credential_id" label="Application credential ID" autoComplete="off" error={errors.application_credential_id} />
                  <Field name="application_credential_secret" label="Secret" type="password" autoComplete="new-password" error={errors.application_credential_secret} />
                </>
              )}
              <Field name="region_name" label="Region" placeholder="any" />
              <div className="field">
                <label className="field-label" htmlFor="cloud-interface">Interface</label>
                <select className="input" id="cloud-interface" name="interface" defaultValue="public">
                  <option value="public">public</option>
                  <option value="internal">internal</option>
                  <option value="admin">admin</option>
                </select>
              </div>
            </div>
          )}
          <div className="cloud-actions">
            <button className="button button-primary" type="submit" disabled={!!busy}>{busy === "save" ? "Checking with Keystone…" : "Save"}</button>
            <button className="button" type="button" disabled={!!busy} onClick={(e) => void testForm(e.currentTarget.form)}>{busy === "test-form" ? "Testing…" : "Test without saving"}</button>
          </div>
        </form>
      )}

      <ConfirmDialog
        open={confirmRemove}
        title="Remove the project's credentials?"
        confirmLabel="Remove credentials"
        danger
        busy={busy === "remove"}
        onCancel={() => setConfirmRemove(false)}
        onConfirm={() => {
          setConfirmRemove(false);
          void act("remove", async () => {
            await api.cloud.unset.mutate();
            await load();
            return "Removed. New work of this project acts in the server's cloud, if it has one.";
          });
        }}
      >
        <p>
          New work of this project&apos;s stacks will act in {shown.serverCloud ? `the server's cloud (${shown.serverCloud})` : "no cloud"}. Resources
          still being created or deleted take the change at their next step: if that cloud is another OpenStack project, they do not find their objects there.
        </p>
      </ConfirmDialog>
    </div>
  );
}
