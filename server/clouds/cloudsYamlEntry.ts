/**
 * One cloud's entry of a clouds.yaml, as a user pastes it or the CLI reads it: the part Kiln
 * keeps for a project (auth, region_name, interface, auth_type). Pure (no files), so the
 * browser and the CLI read a paste the same way.
 */
import { parse } from "yaml";

export interface CloudEntry {
  auth: Record<string, string | number>;
  region_name?: string;
  interface?: string;
  auth_type?: string;
}

/** A paste that is not a usable entry: the message says why and what would be. */
export class CloudEntryInvalid extends Error {}

const KEPT = ["region_name", "interface", "auth_type"] as const;

/** The entry from an object shaped as one cloud of clouds.yaml (its `auth` and the settings beside it). */
export function entryFrom(cloud: Record<string, unknown>, where: string): CloudEntry {
  const auth = cloud.auth;
  if (!auth || typeof auth !== "object" || Array.isArray(auth)) throw new CloudEntryInvalid(`${where} has no "auth:" mapping (auth_url, username, password, project_name, …)`);
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(auth)) {
    if (typeof v === "string" || typeof v === "number") fields[k] = v;
    else if (v !== null && v !== undefined) throw new CloudEntryInvalid(`${where}: auth.${k} is not a single value`);
  }
  const entry: CloudEntry = { auth: fields };
  for (const k of KEPT) if (typeof cloud[k] === "string" && cloud[k] !== "") entry[k] = cloud[k] as string;
  return entry;
}

/**
 * The entry of pasted text: a whole clouds.yaml (`clouds:` with one cloud, or the one named),
 * one named cloud (`mycloud: {auth: …}`), or a bare entry (`auth: …`).
 */
export function entryFromYaml(text: string, name?: string): CloudEntry {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new CloudEntryInvalid(`The text is not YAML${line ? ` (line ${line})` : ""}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new CloudEntryInvalid("Paste a clouds.yaml, or one cloud's entry of it (auth: with auth_url, username, password, …)");
  const top = doc as Record<string, unknown>;
  if ("auth" in top) return entryFrom(top, "The entry");
  const clouds = (top.clouds && typeof top.clouds === "object" ? top.clouds : top) as Record<string, unknown>;
  const names = Object.keys(clouds);
  if (name !== undefined) {
    const cloud = clouds[name];
    if (!cloud || typeof cloud !== "object") throw new CloudEntryInvalid(`There is no cloud named "${name}"; there are: ${names.join(", ") || "none"}`);
    return entryFrom(cloud as Record<string, unknown>, `Cloud "${name}"`);
  }
  if (names.length !== 1) throw new CloudEntryInvalid(`The text has ${names.length} clouds (${names.join(", ")}); paste one, or name which`);
  const only = clouds[names[0]!];
  if (!only || typeof only !== "object") throw new CloudEntryInvalid(`Cloud "${names[0]}" is not a mapping`);
  return entryFrom(only as Record<string, unknown>, `Cloud "${names[0]}"`);
}

/** The auth fields of a clouds.yaml entry Kiln reads, as the OS_* variables and `--os-*` flags spell them too. */
export const AUTH_FIELDS = [
  "auth_url",
  "username",
  "user_id",
  "password",
  "user_domain_name",
  "user_domain_id",
  "project_name",
  "project_id",
  "project_domain_name",
  "project_domain_id",
  "domain_name",
  "domain_id",
  "application_credential_id",
  "application_credential_name",
  "application_credential_secret",
] as const;
/** The settings beside `auth` Kiln keeps. */
export const ENTRY_SETTINGS = KEPT;

/**
 * The entry of an openrc's variables (OS_AUTH_URL, OS_USERNAME, …), as openstacksdk reads
 * them; OS_TENANT_NAME and OS_TENANT_ID are the old names of the project's.
 */
export function entryFromVariables(env: Readonly<Record<string, string | undefined>>): CloudEntry {
  const v = (field: string) => env[`OS_${field.toUpperCase()}`] || undefined;
  const auth: Record<string, string> = {};
  for (const f of AUTH_FIELDS) if (v(f)) auth[f] = v(f)!;
  if (!auth.project_name && v("tenant_name")) auth.project_name = v("tenant_name")!;
  if (!auth.project_id && v("tenant_id")) auth.project_id = v("tenant_id")!;
  const entry: CloudEntry = { auth };
  for (const k of KEPT) if (v(k)) entry[k] = v(k);
  if (!entry.interface && v("endpoint_type")) entry.interface = v("endpoint_type")!.replace(/URL$/, "");
  return entry;
}
