/**
 * The arithmetic of a group changed a batch at a time (batchedGroup.ts): `batch_create`, and
 * `rolling_update` when what the members are made from changes. As Heat 19 does it (checked
 * with the heat-oracle on ResourceGroup, whose index order stands for a group's order here):
 *
 * - each batch is one update of the group's nested stack, to a template that has `capacity`
 *   members of which `updates` more than before are on the new definition;
 * - a rolling update takes the members with the highest index first (4 and 3, then 2 and 1,
 *   then 0 for five members two at a time); a batched create adds the lowest names first, after
 *   creating the nested stack empty;
 * - with `min_in_service`, a batch that would leave too few members on either definition adds
 *   new members first, and the last batch removes the extra ones.
 */

/** One update of the nested stack. */
export interface Batch {
  capacity: number;
  updates: number;
}

/** Where a batched change stands: kept with the group between batches, a few numbers whatever its size. */
export interface BatchProgress {
  target: number;
  batchSize: number;
  minInService: number;
  /** Members on the new definition, as Heat counts them. */
  upToDate: number;
  /** Members in the nested stack. */
  current: number;
}

export const startBatches = (target: number, current: number, batchSize: number, minInService: number): BatchProgress => ({ target, batchSize, minInService, upToDate: 0, current });

/** The next batch (Heat's rolling-update arithmetic) and where the change stands after it; undefined when it is done. */
export function nextBatchOf(p: BatchProgress): { batch: Batch; after: BatchProgress } | undefined {
  const { target, current, upToDate } = p;
  if (upToDate >= current && current === target) return undefined;
  const keep = Math.min(p.minInService, target, current);
  const updates = Math.min(p.batchSize, Math.max(target - upToDate, 0));
  const capacity = updates + Math.max(Math.min(current, target - updates), keep);
  // Each batch brings members up to date or moves the capacity to the target: it ends.
  const after = { ...p, upToDate: upToDate + updates - Math.max(capacity - Math.max(current, target), 0), current: capacity };
  return { batch: { capacity, updates }, after };
}

/** The most members the nested stack has at once from `p` on (over the target while some are kept in service). */
export function mostMembers(p: BatchProgress): number {
  let most = Math.max(p.current, p.target);
  let steps = 0;
  for (let next = nextBatchOf(p); next; next = nextBatchOf(next.after)) {
    most = Math.max(most, next.batch.capacity);
    if (++steps > 2 * (p.target + p.current) + 2) throw new Error(`group batches do not end (target ${p.target}, batch ${p.batchSize}, min_in_service ${p.minInService})`);
  }
  return most;
}

/** Each member's definition, by its index in the definitions the group has had. */
export type MemberDefinitions = Record<string, number>;

/** A ResourceGroup's member names in index order ("2" before "10"). */
export const byIndex = (a: string, b: string) => Number(a) - Number(b);

/**
 * The members after one batch: which stay (on the definition they have, or moved to `newest`),
 * which are added (on `newest`) and, by their absence, which go. `names`: the batch's capacity
 * of member names, in the group's order; `order` sorts member names so (ties keep it);
 * `changes(name, from)`: whether the member's definition on `from` differs from `newest`'s.
 * As Heat's, a member whose definition the change leaves as it is takes no place in the batch.
 */
export function afterBatch(
  members: MemberDefinitions,
  batch: Batch,
  target: number,
  newest: number,
  names: readonly string[],
  order: (a: string, b: string) => number,
  changes: (name: string, from: number) => boolean,
): MemberDefinitions {
  const place = new Map(names.map((name, i) => [name, i]));
  // Beyond the new capacity: first to go. Within the target: the highest index first to update.
  // Between the target and the capacity (new members of a batch that keeps some in service): last.
  const priority = (name: string) => {
    const i = place.get(name);
    return i === undefined ? 0 : i < target ? target - i : batch.capacity;
  };
  const ordered = Object.keys(members)
    .sort(order)
    .sort((a, b) => priority(a) - priority(b));
  const kept = batch.capacity === 0 ? [] : ordered.slice(-batch.capacity);
  const added = batch.capacity - kept.length;
  let toMove = batch.updates - added;
  const next: MemberDefinitions = {};
  for (const name of kept) {
    const from = members[name]!;
    if (from === newest) next[name] = newest;
    // Compared only while the batch has room: a member left as it is is compared again later.
    else if (toMove === 0) next[name] = from;
    else {
      if (changes(name, from)) toMove--;
      next[name] = newest;
    }
  }
  for (const name of names.filter((n) => !(n in members)).slice(0, added)) next[name] = newest;
  return next;
}
