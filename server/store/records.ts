/**
 * Rows ↔ the engine's records. JSON columns are text (the same bytes on both providers), times
 * are DateTime columns read back as ISO strings. Raw statements may answer a time as a Date or,
 * for SQLite RETURNING clauses, as the stored text, so every reader goes through `iso`.
 */
import type {
  RawTemplateRecord,
  ResourceAction,
  ResourceRecord,
  ResourceState,
  StackAction,
  SoftwareConfigRecord,
  SoftwareDeploymentRecord,
  StackRecord,
  StackState,
  Status,
  SyncPointRecord,
} from "../engine/ports";
import type { ColumnCipher } from "./columnCipher";
import { Sql } from "./sql";

type Time = Date | string | number;

/** How SQLite holds a time (sqliteDirect's bind, Prisma's adapter): ISO 8601 with "+00:00". */
const STORED_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

export function iso(t: Time): string {
  // The stored text is already the ISO form but for its zone: no Date to build and print
  // (a few of them per row read, on the engine's hot path).
  if (typeof t === "string" && STORED_UTC.test(t)) return `${t.slice(0, 23)}Z`;
  return (t instanceof Date ? t : new Date(t)).toISOString();
}

const parseJson = <T>(text: string): T => JSON.parse(text) as T;
/** `undefined` is not JSON; it is stored as null so the column always holds valid JSON. */
export const json = (v: unknown) => JSON.stringify(v === undefined ? null : v);
/** A column that may carry secret values: JSON, encrypted (columnCipher.ts). */
export const sealedJson = (v: unknown, cipher: ColumnCipher) => cipher.seal(json(v));
const openJson = <T>(text: string, cipher: ColumnCipher): T => parseJson(cipher.open(text));

export interface StackRow {
  id: string;
  projectId: string;
  name: string;
  parentResourceId: string | null;
  rootStackId: string;
  stackPath: string;
  action: string;
  status: string;
  statusReason: string;
  templateId: string | null;
  prevTemplateId: string | null;
  parameters: string;
  currentTraversal: string | null;
  disableRollback: boolean | number;
  timeoutMins: number | null;
  createdAt: Time;
  updatedAt: Time;
}

export const stackFromRow = (r: StackRow, cipher: ColumnCipher): StackRecord => ({ ...stackStateFromRow(r), parameters: openJson(r.parameters, cipher) });

export const stackStateFromRow = (r: StackRow): StackState => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  parentResourceId: r.parentResourceId,
  rootStackId: r.rootStackId,
  stackPath: r.stackPath,
  action: r.action as StackAction,
  status: r.status as Status,
  statusReason: r.statusReason,
  templateId: r.templateId,
  prevTemplateId: r.prevTemplateId,
  currentTraversal: r.currentTraversal,
  disableRollback: Boolean(r.disableRollback),
  timeoutMins: r.timeoutMins === null ? null : Number(r.timeoutMins),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export interface ResourceRow {
  id: string;
  stackId: string;
  name: string;
  type: string;
  physicalId: string | null;
  action: string;
  status: string;
  statusReason: string;
  templateId: string | null;
  requires: string;
  replaces: string | null;
  replacedBy: string | null;
  lockTraversal: string | null;
  convergedTraversal: string | null;
  properties: string;
  attributes: string;
  data: string;
  createdAt: Time;
  updatedAt: Time;
}

export const resourceFromRow = (r: ResourceRow, cipher: ColumnCipher): ResourceRecord => ({
  ...resourceStateFromRow(r),
  properties: openJson(r.properties, cipher),
  attributes: openJson(r.attributes, cipher),
  data: openJson(r.data, cipher),
});

export const resourceStateFromRow = (r: ResourceRow): ResourceState => ({
  id: r.id,
  stackId: r.stackId,
  name: r.name,
  type: r.type,
  physicalId: r.physicalId,
  action: r.action as ResourceAction,
  status: r.status as Status,
  statusReason: r.statusReason,
  templateId: r.templateId,
  requires: parseJson(r.requires),
  replaces: r.replaces,
  replacedBy: r.replacedBy,
  lockTraversal: r.lockTraversal,
  convergedTraversal: r.convergedTraversal,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export interface TemplateRow {
  id: string;
  projectId: string;
  template: string;
  files: string;
  environment: string;
}

export const templateFromRow = (r: TemplateRow, cipher: ColumnCipher): RawTemplateRecord => ({
  id: r.id,
  projectId: r.projectId,
  template: r.template,
  // Sealed since the openstack CLI sends its environment files, passwords and all, among them.
  files: openJson(r.files, cipher),
  environment: openJson(r.environment, cipher),
});

export interface SyncPointRow {
  traversal: string;
  node: string;
  stackId: string;
  remaining: number | bigint;
  successors: string;
}

export const syncPointFromRow = (r: SyncPointRow): SyncPointRecord => ({
  traversal: r.traversal,
  node: r.node,
  stackId: r.stackId,
  remaining: Number(r.remaining),
  successors: parseJson(r.successors),
});

/** How a record field is written to its column; a field not listed here is not patchable. */
type Encode = (v: never, cipher: ColumnCipher) => unknown;
const asIs: Encode = (v) => v;
const asDate: Encode = (v: string) => new Date(v);

/** `id` is the row's key, and `updatedAt` is always stamped by the store. */
const stackColumns: Partial<Record<keyof StackRecord, Encode>> = {
  projectId: asIs,
  name: asIs,
  parentResourceId: asIs,
  rootStackId: asIs,
  stackPath: asIs,
  action: asIs,
  status: asIs,
  statusReason: asIs,
  templateId: asIs,
  prevTemplateId: asIs,
  parameters: sealedJson,
  currentTraversal: asIs,
  disableRollback: asIs,
  timeoutMins: asIs,
  createdAt: asDate,
};

const resourceColumns: Partial<Record<keyof ResourceRecord, Encode>> = {
  stackId: asIs,
  name: asIs,
  type: asIs,
  physicalId: asIs,
  action: asIs,
  status: asIs,
  statusReason: asIs,
  templateId: asIs,
  requires: json,
  replaces: asIs,
  replacedBy: asIs,
  lockTraversal: asIs,
  convergedTraversal: asIs,
  properties: sealedJson,
  attributes: sealedJson,
  data: sealedJson,
  createdAt: asDate,
};

/**
 * The SET list for a patch, always ending with `"updatedAt"` = now. Fields absent from the
 * patch, or present as undefined, are left alone; `omit` names fields the caller sets itself.
 */
function setList<R>(columns: Partial<Record<keyof R, Encode>>, patch: Partial<R>, cipher: ColumnCipher, omit: readonly string[]): Sql {
  // Built flat, as `tuples` is: a fragment per column, joined, cost more than the write (every
  // job of a flat create makes one).
  const chunks = [""];
  const values: unknown[] = [];
  for (const field in patch) {
    const value = patch[field];
    const encode = columns[field];
    if (!encode || value === undefined || omit.includes(field)) continue;
    chunks[chunks.length - 1] += `"${field}" = `;
    values.push(encode(value as never, cipher));
    chunks.push(", ");
  }
  chunks[chunks.length - 1] += `"updatedAt" = `;
  values.push(new Date());
  chunks.push("");
  return new Sql(chunks, values);
}

export const stackSetList = (patch: Partial<StackRecord>, cipher: ColumnCipher) => setList(stackColumns, patch, cipher, []);
export const resourceSetList = (patch: Partial<ResourceRecord>, cipher: ColumnCipher, omit: readonly (keyof ResourceRecord)[] = []) =>
  setList(resourceColumns, patch, cipher, omit);

export interface SoftwareConfigRow {
  id: string;
  projectId: string;
  name: string;
  group: string;
  config: string;
  createdAt: Time;
}

export const softwareConfigFromRow = (r: SoftwareConfigRow, cipher: ColumnCipher): SoftwareConfigRecord => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  group: r.group,
  config: openJson(r.config, cipher),
  createdAt: iso(r.createdAt),
});

export interface SoftwareDeploymentRow {
  id: string;
  projectId: string;
  serverId: string;
  configId: string;
  inputValues: string;
  outputValues: string;
  action: string;
  status: string;
  statusReason: string;
  stackId: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  signalToken: string;
  createdAt: Time;
  updatedAt: Time;
}

export const softwareDeploymentFromRow = (r: SoftwareDeploymentRow, cipher: ColumnCipher): SoftwareDeploymentRecord => ({
  ...r,
  inputValues: openJson(r.inputValues, cipher),
  outputValues: openJson(r.outputValues, cipher),
  status: r.status as Status,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const deploymentColumns: Partial<Record<keyof SoftwareDeploymentRecord, Encode>> = {
  serverId: asIs,
  configId: asIs,
  inputValues: sealedJson,
  outputValues: sealedJson,
  action: asIs,
  status: asIs,
  statusReason: asIs,
};

export const deploymentSetList = (patch: Partial<SoftwareDeploymentRecord>, cipher: ColumnCipher) => setList(deploymentColumns, patch, cipher, []);
