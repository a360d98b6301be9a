/** Which stacks the list shows, and in what order: the search, status filter and sort the user chose. */
import { toneOf, type Tone } from "./status";

export interface ListedStack {
  name: string;
  action: string;
  status: string;
  stackStatus: string;
  createdAt: string;
  updatedAt: string;
}

/** The status filter's choices: a colour family each, as the badges show them. */
export const STATUS_FILTERS: { value: Tone; label: string }[] = [
  { value: "progress", label: "In progress" },
  { value: "complete", label: "Complete" },
  { value: "failed", label: "Failed" },
  { value: "rolledback", label: "Rolled back" },
  { value: "idle", label: "Other (deleted, init)" },
];

export const SORT_KEYS = ["name", "status", "created", "updated"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListView {
  /** Case-insensitive text in the name or the status (CREATE_COMPLETE). */
  search?: string;
  status?: string;
  sort?: string;
  /** "asc" or "desc"; by default names and statuses ascend and times descend (newest first). */
  dir?: string;
}

const sortValue: Record<SortKey, (s: ListedStack) => string> = {
  name: (s) => s.name.toLowerCase(),
  status: (s) => s.stackStatus,
  created: (s) => s.createdAt,
  updated: (s) => s.updatedAt,
};

export const sortKeyOf = (v: ListView): SortKey => (SORT_KEYS as readonly string[]).includes(v.sort ?? "") ? (v.sort as SortKey) : "created";
export const defaultDir = (key: SortKey) => (key === "created" || key === "updated" ? "desc" : "asc");
export const dirOf = (v: ListView): "asc" | "desc" => (v.dir === "asc" || v.dir === "desc" ? v.dir : defaultDir(sortKeyOf(v)));

export function viewStacks<S extends ListedStack>(stacks: S[], v: ListView): S[] {
  const needle = v.search?.trim().toLowerCase() ?? "";
  const key = sortKeyOf(v);
  const sign = dirOf(v) === "asc" ? 1 : -1;
  return stacks
    .filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.stackStatus.toLowerCase().includes(needle))
    .filter((s) => !v.status || toneOf(s.status, s.action) === v.status)
    .sort((a, b) => sign * sortValue[key](a).localeCompare(sortValue[key](b)) || a.name.localeCompare(b.name));
}
