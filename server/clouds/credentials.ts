/**
 * Where a cloud's credentials come from, read the way openstacksdk reads them: an entry of
 * clouds.yaml named by OS_CLOUD (the file from OS_CLIENT_CONFIG_FILE, else ./clouds.yaml,
 * ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml), or the OS_* variables.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";

export type CloudAuth =
  | {
      kind: "password";
      username?: string;
      userId?: string;
      password: string;
      userDomainName?: string;
      userDomainId?: string;
      projectName?: string;
      projectId?: string;
      projectDomainName?: string;
      projectDomainId?: string;
      /** Scope the token to this Keystone trust instead of a project (Kiln's service user acting for a stack's creator). */
      trustId?: string;
    }
  | { kind: "applicationCredential"; id?: string; name?: string; secret: string; username?: string; userId?: string; userDomainName?: string; userDomainId?: string };

export interface CloudCredentials {
  /** Identity v3, e.g. http://keystone:5000/v3 (a URL without /v3 gets it). */
  authUrl: string;
  auth: CloudAuth;
  region?: string;
  /** Which catalog endpoints to use: public unless told. */
  interface: "public" | "internal" | "admin";
  /** Endpoints used instead of the catalog's, by service type (openstacksdk's `<service>_endpoint_override`). */
  endpointOverrides?: Record<string, string>;
}

/** A configuration that names a cloud but cannot be used: the message says what is missing. */
export class CloudConfigInvalid extends Error {}

type Source = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

/** Credentials from a clouds.yaml entry's fields or the OS_* variables, both spelt as clouds.yaml spells them (auth_url, username, …). */
export function credentialsFrom(auth: Source, top: Source, where: string): CloudCredentials {
  const authUrl = str(auth.auth_url);
  if (!authUrl) throw new CloudConfigInvalid(`${where} has no auth_url`);
  const type = str(top.auth_type) ?? (str(auth.application_credential_secret) ? "v3applicationcredential" : "password");
  let cloudAuth: CloudAuth;
  if (type === "v3applicationcredential") {
    const secret = str(auth.application_credential_secret);
    if (!secret) throw new CloudConfigInvalid(`${where} has no application_credential_secret`);
    cloudAuth = {
      kind: "applicationCredential",
      secret,
      id: str(auth.application_credential_id),
      name: str(auth.application_credential_name),
      username: str(auth.username),
      userId: str(auth.user_id),
      userDomainName: str(auth.user_domain_name),
      userDomainId: str(auth.user_domain_id),
    };
    if (!cloudAuth.id && !cloudAuth.name) throw new CloudConfigInvalid(`${where} has no application_credential_id`);
  } else if (type === "password" || type === "v3password") {
    const password = str(auth.password);
    if (!password) throw new CloudConfigInvalid(`${where} has no password`);
    if (!str(auth.username) && !str(auth.user_id)) throw new CloudConfigInvalid(`${where} has no username`);
    const domainId = str(auth.domain_id) ?? str(top.default_domain);
    cloudAuth = {
      kind: "password",
      password,
      username: str(auth.username),
      userId: str(auth.user_id),
      userDomainName: str(auth.user_domain_name) ?? str(auth.domain_name),
      userDomainId: str(auth.user_domain_id) ?? domainId,
      projectName: str(auth.project_name) ?? str(auth.tenant_name),
      projectId: str(auth.project_id) ?? str(auth.tenant_id),
      projectDomainName: str(auth.project_domain_name) ?? str(auth.domain_name),
      projectDomainId: str(auth.project_domain_id) ?? domainId,
    };
  } else {
    throw new CloudConfigInvalid(`${where}: auth_type "${type}" is not supported; Kiln takes password and v3applicationcredential`);
  }
  const iface = str(top.interface) ?? str(top.endpoint_type) ?? "public";
  if (iface !== "public" && iface !== "internal" && iface !== "admin") throw new CloudConfigInvalid(`${where} has interface "${iface}"; use public, internal or admin`);
  const endpointOverrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(top)) {
    const m = /^(.+)_endpoint_override$/.exec(k);
    if (m && str(v)) endpointOverrides[m[1]!.replace(/_/g, "-")] = str(v)!.replace(/\/+$/, "");
  }
  return {
    authUrl: authUrl.replace(/\/+$/, ""),
    auth: cloudAuth,
    region: str(top.region_name),
    interface: iface,
    ...(Object.keys(endpointOverrides).length > 0 ? { endpointOverrides } : {}),
  };
}

/** Where openstacksdk looks for clouds.yaml, first found first. */
export function cloudsYamlPaths(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string[] {
  if (env.OS_CLIENT_CONFIG_FILE) return [env.OS_CLIENT_CONFIG_FILE];
  return [path.resolve(cwd, "clouds.yaml"), path.join(env.HOME || os.homedir(), ".config/openstack/clouds.yaml"), "/etc/openstack/clouds.yaml"];
}

/** One named entry of clouds.yaml (secure.yaml is not read). */
export function cloudFromYaml(name: string, env: Record<string, string | undefined> = process.env): CloudCredentials {
  for (const file of cloudsYamlPaths(env)) {
    if (!fs.existsSync(file)) continue;
    const doc = parse(fs.readFileSync(file, "utf8")) as { clouds?: Record<string, Source> } | null;
    const entry = doc?.clouds?.[name];
    if (!entry) throw new CloudConfigInvalid(`${file} has no cloud named "${name}"`);
    return credentialsFrom((entry.auth as Source | undefined) ?? {}, entry, `cloud "${name}" of ${file}`);
  }
  throw new CloudConfigInvalid(`OS_CLOUD is "${name}" but there is no clouds.yaml (looked at ${cloudsYamlPaths(env).join(", ")})`);
}

/**
 * The embedded default's cloud: OS_CLOUD's entry, else the OS_* variables when OS_AUTH_URL is
 * set, else none. The variables given beside OS_CLOUD override its entry's region, as in openstacksdk.
 */
export function cloudFromEnvironment(env: Record<string, string | undefined> = process.env): CloudCredentials | undefined {
  if (env.OS_CLOUD) {
    const creds = cloudFromYaml(env.OS_CLOUD, env);
    return env.OS_REGION_NAME ? { ...creds, region: env.OS_REGION_NAME } : creds;
  }
  if (!env.OS_AUTH_URL) return undefined;
  const fields: Source = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith("OS_")) fields[k.slice(3).toLowerCase()] = v;
  return credentialsFrom(fields, fields, "the OS_* variables");
}
