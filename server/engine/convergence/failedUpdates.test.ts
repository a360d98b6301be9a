/**
 * What a failed update leaves, and what the next update (a rollback, or the user's own) does
 * with it: each case is a scenario run through Heat 19 (the heat-oracle), whose answer the
 * test states.
 */
import { describe, expect, it } from "vitest";
import { testEngine } from "../testing/harness";
import { stackOutputs } from "./stackOutputs";

const P = "project";

const template = (resources: string, outputs = "") =>
  `heat_template_version: 2018-08-31\nresources:\n${resources}${outputs ? `outputs:\n${outputs}` : ""}`;
const outputOfA = "  out: {value: {get_attr: [a, output]}}\n";

const one = template("  a: {type: OS::Heat::TestResource, properties: {value: one}}\n", outputOfA);
const failingReplacement = template("  a: {type: OS::Heat::TestResource, properties: {value: two, update_replace: true, fail: true}}\n", outputOfA);
const failingInPlace = template("  a: {type: OS::Heat::TestResource, properties: {value: two, fail: true}}\n", outputOfA);
const inPlace = template("  a: {type: OS::Heat::TestResource, properties: {value: four}}\n", outputOfA);
const replacing = template("  a: {type: OS::Heat::TestResource, properties: {value: three, update_replace: true}}\n", outputOfA);

const pair = (a: string, b: string) =>
  template(`  a: {type: OS::Heat::TestResource, properties: ${a}}\n  b: {type: OS::Heat::TestResource, properties: ${b}}\n`, [
    "  a: {value: {get_attr: [a, output]}}\n",
    "  b: {value: {get_attr: [b, output]}}\n",
  ].join(""));
const pairOne = pair("{value: one}", "{value: {get_attr: [a, output]}}");

/** A stack created from `first`, with helpers to follow its resources and events. */
async function stackOf(first: string, rollback: boolean) {
  const t = testEngine();
  const stack = await t.engine.createStack({ projectId: P, name: "s", template: first, disableRollback: !rollback });
  await t.settle();
  const rowsOf = async (name: string) => t.store.findResources(stack.id, name);
  const idsAtStart = new Map((await t.store.listResources(stack.id)).map((r) => [r.name, r.physicalId]));
  let seen = t.notifier.all.length;
  return {
    t,
    stack,
    /** The physical id each resource had when the stack was created. */
    original: (name: string) => idsAtStart.get(name)!,
    async update(next: string, settle = true) {
      seen = t.notifier.all.length;
      await t.engine.updateStack(stack.id, { template: next });
      if (settle) await t.settle();
    },
    /** Events since the last update, a resource's original copy marked as such. */
    events: () =>
      t.notifier.all
        .slice(seen)
        .filter((n) => n.kind === "event" && n.stackId === stack.id)
        .map((n) => `${n.resourceName} ${n.action}_${n.status}${n.physicalResourceId && n.physicalResourceId === idsAtStart.get(n.resourceName!) ? " (original)" : ""}`),
    rowsOf,
    /** The one row left of a resource, once the stack has settled. */
    async only(name: string) {
      const rows = await rowsOf(name);
      expect(rows).toHaveLength(1);
      return rows[0]!;
    },
    state: async () => t.stack(stack.id).then((s) => `${s!.action}_${s!.status}`),
    outputs: async () => Object.fromEntries(Object.entries(await stackOutputs(t.engine.ctx, (await t.stack(stack.id))!)).map(([k, o]) => [k, o.error ?? o.value])),
  };
}

describe("a replacement that fails keeps the original", () => {
  it("with rollback, the original is kept with its physical id, UPDATE_COMPLETE, and only the failed copy is deleted", async () => {
    const s = await stackOf(one, true);
    await s.update(failingReplacement);
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    // Heat 19 answers: a UPDATE_COMPLETE with the original physical id, the output back to "one".
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    expect((await s.only("a")).statusReason).toMatch(/^Requires replacement: .*value.* cannot be updated in place$/);
    expect(await s.outputs()).toEqual({ out: "one" });
    // ...and these events: the original is marked as needing replacement, the new copy fails,
    // and the rollback deletes that copy and nothing else.
    expect(s.events()).toEqual([
      "s UPDATE_IN_PROGRESS",
      "a UPDATE_IN_PROGRESS (original)",
      "a UPDATE_COMPLETE (original)",
      "a CREATE_IN_PROGRESS",
      "a CREATE_FAILED",
      "s UPDATE_FAILED",
      "s ROLLBACK_IN_PROGRESS",
      "a DELETE_IN_PROGRESS",
      "a DELETE_COMPLETE",
      "s ROLLBACK_COMPLETE",
    ]);
  });

  it("without rollback, the failed copy is shown until the previous template is applied again by hand, which keeps the original", async () => {
    const s = await stackOf(one, false);
    await s.update(failingReplacement);
    // Heat 19 answers: UPDATE_FAILED, a is the failed copy (CREATE_FAILED), the output null without an error.
    expect(await s.state()).toBe("UPDATE_FAILED");
    expect(await s.t.resources(s.stack.id)).toEqual({ a: "CREATE_FAILED" });
    expect(await s.outputs()).toEqual({ out: null });
    await s.update(one);
    // Heat 19 answers: UPDATE_COMPLETE, the failed copy deleted, the original kept as it was.
    expect(await s.state()).toBe("UPDATE_COMPLETE");
    expect(s.events()).toEqual(["s UPDATE_IN_PROGRESS", "a DELETE_IN_PROGRESS", "a DELETE_COMPLETE", "s UPDATE_COMPLETE"]);
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    expect(await s.outputs()).toEqual({ out: "one" });
  });

  it("the next update starts from the original: a change it allows in place updates the original", async () => {
    const s = await stackOf(one, false);
    await s.update(failingReplacement);
    await s.update(inPlace);
    // Heat 19 answers: the failed copy deleted, the original UPDATE_COMPLETE with value four.
    expect(await s.state()).toBe("UPDATE_COMPLETE");
    expect(s.events()).toEqual(expect.arrayContaining(["a DELETE_COMPLETE", "a UPDATE_IN_PROGRESS (original)", "a UPDATE_COMPLETE (original)"]));
    expect(s.events().filter((e) => e.startsWith("a CREATE"))).toEqual([]);
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    expect(await s.outputs()).toEqual({ out: "four" });
  });

  it("the next update starts from the original: a change that needs a replacement replaces it, and both old copies go", async () => {
    const s = await stackOf(one, false);
    await s.update(failingReplacement);
    await s.update(replacing);
    // Heat 19 answers: a new copy CREATE_COMPLETE; the failed copy and the original deleted.
    expect(await s.state()).toBe("UPDATE_COMPLETE");
    const a = await s.only("a");
    expect(a).toMatchObject({ action: "CREATE", status: "COMPLETE" });
    expect(a.physicalId).not.toBe(s.original("a"));
    expect(s.events()).toEqual(expect.arrayContaining(["a UPDATE_COMPLETE (original)", "a CREATE_COMPLETE", "a DELETE_COMPLETE (original)"]));
    expect(s.events().filter((e) => e === "a DELETE_COMPLETE")).toHaveLength(1);
    expect(await s.outputs()).toEqual({ out: "three" });
  });

  it("a resource that references the failing one is left as it is", async () => {
    const s = await stackOf(pairOne, true);
    await s.update(pair("{value: two, update_replace: true, fail: true}", "{value: {get_attr: [a, output]}}"));
    // Heat 19 answers: ROLLBACK_COMPLETE, a the original UPDATE_COMPLETE, b untouched (CREATE_COMPLETE, same id).
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    expect(await s.only("b")).toMatchObject({ physicalId: s.original("b"), action: "CREATE", status: "COMPLETE" });
    expect(s.events().filter((e) => e.startsWith("b "))).toEqual([]);
    expect(await s.outputs()).toEqual({ a: "one", b: "one" });
  });
  it("a change of type whose new copy fails goes back to the original as it was, with no UPDATE of it", async () => {
    const s = await stackOf(template("  a: {type: OS::Heat::TestResource}\n"), true);
    await s.update(
      template("  a:\n    type: OS::Heat::ResourceGroup\n    properties: {count: 1, resource_def: {type: OS::Heat::TestResource, properties: {fail: true}}}\n"),
    );
    // Heat 19 answers: ROLLBACK_COMPLETE, a the original CREATE_COMPLETE, and these events.
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), type: "OS::Heat::TestResource", action: "CREATE", status: "COMPLETE" });
    expect(s.events()).toEqual([
      "s UPDATE_IN_PROGRESS",
      "a CREATE_IN_PROGRESS",
      "a CREATE_FAILED",
      "s UPDATE_FAILED",
      "s ROLLBACK_IN_PROGRESS",
      "a DELETE_IN_PROGRESS",
      "a DELETE_COMPLETE",
      "s ROLLBACK_COMPLETE",
    ]);
  });

  it("an update cancelled while the new copy is being created keeps the original", async () => {
    const s = await stackOf(one, false);
    await s.update(template("  a: {type: OS::Heat::TestResource, properties: {value: two, update_replace: true, action_wait_secs: {create: 4}}}\n", outputOfA), false);
    await s.t.settle(() => s.events().includes("a CREATE_IN_PROGRESS"));
    await s.t.engine.cancelUpdate(s.stack.id);
    await s.t.settle();
    // Heat 19 answers: ROLLBACK_COMPLETE, a the original (UPDATE_COMPLETE, output "one"), the new
    // copy deleted. (Heat lets the new copy's create finish first; Kiln stops it, as a cancel
    // stops every wait of the cancelled operation.)
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    expect(await s.outputs()).toEqual({ out: "one" });
  });
});

describe("a rollback goes back to the resources the previous template had", () => {
  it("a replacement that succeeded before something else failed gives way to the original, once what references it moved back", async () => {
    const s = await stackOf(pairOne, true);
    await s.update(pair("{value: two, update_replace: true}", "{value: {get_attr: [a, output]}, fail: true}"));
    // Heat 19 answers: ROLLBACK_COMPLETE; a the original (UPDATE_COMPLETE, same id); b, whose
    // update failed, replaced by a new copy; the new copy of a deleted last.
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE" });
    const b = await s.only("b");
    expect(b).toMatchObject({ action: "CREATE", status: "COMPLETE", attributes: { output: "one" } });
    expect(b.physicalId).not.toBe(s.original("b"));
    expect(await s.outputs()).toEqual({ a: "one", b: "one" });
    const rollback = s.events().slice(s.events().indexOf("s ROLLBACK_IN_PROGRESS"));
    expect(rollback).toEqual([
      "s ROLLBACK_IN_PROGRESS",
      "b CREATE_IN_PROGRESS",
      "b CREATE_COMPLETE",
      "b DELETE_IN_PROGRESS (original)",
      "b DELETE_COMPLETE (original)",
      "a DELETE_IN_PROGRESS",
      "a DELETE_COMPLETE",
      "s ROLLBACK_COMPLETE",
    ]);
  });

  it("applied by hand instead, the previous template keeps the replacement that succeeded and updates it", async () => {
    const s = await stackOf(pairOne, false);
    await s.update(pair("{value: two, update_replace: true}", "{value: {get_attr: [a, output]}, fail: true}"));
    const replacement = (await s.t.store.findResources(s.stack.id, "a")).find((r) => !r.replacedBy)!.physicalId;
    await s.update(pairOne);
    // Heat 19 answers: UPDATE_COMPLETE; a is the replacement, updated in place; the original a
    // and the failed b deleted; b a new copy.
    expect(await s.state()).toBe("UPDATE_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: replacement, action: "UPDATE", status: "COMPLETE" });
    expect(await s.only("b")).toMatchObject({ action: "CREATE", status: "COMPLETE" });
    expect(s.events()).toEqual(expect.arrayContaining(["a DELETE_COMPLETE (original)", "b DELETE_COMPLETE (original)"]));
    expect(await s.outputs()).toEqual({ a: "one", b: "one" });
  });

  it("when a later replacement fails, earlier ones that succeeded are undone too", async () => {
    const xy = (x: string, y: string) =>
      template(`  x: {type: OS::Heat::TestResource, properties: ${x}}\n  y: {type: OS::Heat::TestResource, depends_on: x, properties: ${y}}\n`);
    const s = await stackOf(xy("{value: x1}", "{value: y1}"), true);
    await s.update(xy("{value: x2, update_replace: true}", "{value: y2, update_replace: true, fail: true}"));
    // Heat 19 answers: ROLLBACK_COMPLETE, x and y both their originals (UPDATE_COMPLETE); the
    // failed copy of y deleted, then the new copy of x.
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("x")).toMatchObject({ physicalId: s.original("x"), action: "UPDATE", status: "COMPLETE", attributes: { output: "x1" } });
    expect(await s.only("y")).toMatchObject({ physicalId: s.original("y"), action: "UPDATE", status: "COMPLETE", attributes: { output: "y1" } });
    const rollback = s.events().slice(s.events().indexOf("s ROLLBACK_IN_PROGRESS"));
    expect(rollback).toEqual(["s ROLLBACK_IN_PROGRESS", "y DELETE_IN_PROGRESS", "y DELETE_COMPLETE", "x DELETE_IN_PROGRESS", "x DELETE_COMPLETE", "s ROLLBACK_COMPLETE"]);
  });

  it("resources the failed update added are deleted", async () => {
    const s = await stackOf(one, true);
    await s.update(
      template(
        "  a: {type: OS::Heat::TestResource, properties: {value: one}}\n  n: {type: OS::Heat::None}\n  f: {type: OS::Heat::TestResource, depends_on: n, properties: {fail: true}}\n",
        outputOfA,
      ),
    );
    // Heat 19 answers: ROLLBACK_COMPLETE, f and then n deleted, a untouched.
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.t.resources(s.stack.id)).toEqual({ a: "CREATE_COMPLETE" });
    const rollback = s.events().slice(s.events().indexOf("s ROLLBACK_IN_PROGRESS"));
    expect(rollback).toEqual(["s ROLLBACK_IN_PROGRESS", "f DELETE_IN_PROGRESS", "f DELETE_COMPLETE", "n DELETE_IN_PROGRESS", "n DELETE_COMPLETE", "s ROLLBACK_COMPLETE"]);
  });

  it("a resource the failed update changed in place is updated back; the one whose update failed is replaced", async () => {
    const ab = (a: string, b: string) =>
      template(`  a: {type: OS::Heat::TestResource, properties: ${a}}\n  b: {type: OS::Heat::TestResource, depends_on: a, properties: ${b}}\n`);
    const s = await stackOf(ab("{value: one}", "{value: one}"), true);
    await s.update(ab("{value: two}", "{value: two, fail: true}"));
    // Heat 19 answers: a UPDATE_COMPLETE (same id, value one again); b a new copy, the failed one deleted.
    expect(await s.state()).toBe("ROLLBACK_COMPLETE");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "COMPLETE", attributes: { output: "one" } });
    expect(await s.only("b")).toMatchObject({ action: "CREATE", status: "COMPLETE", attributes: { output: "one" } });
    const rollback = s.events().slice(s.events().indexOf("s ROLLBACK_IN_PROGRESS"));
    expect(rollback).toEqual([
      "s ROLLBACK_IN_PROGRESS",
      "a UPDATE_IN_PROGRESS (original)",
      "a UPDATE_COMPLETE (original)",
      "b CREATE_IN_PROGRESS",
      "b CREATE_COMPLETE",
      "b DELETE_IN_PROGRESS (original)",
      "b DELETE_COMPLETE (original)",
      "s ROLLBACK_COMPLETE",
    ]);
  });
});

describe("a failed update in place", () => {
  it("leaves the resource with the attributes it had, which the outputs still show", async () => {
    const s = await stackOf(one, false);
    await s.update(failingInPlace);
    // Heat 19 answers: UPDATE_FAILED, a UPDATE_FAILED with its physical id, attribute output "one", output "one".
    expect(await s.state()).toBe("UPDATE_FAILED");
    expect(await s.only("a")).toMatchObject({ physicalId: s.original("a"), action: "UPDATE", status: "FAILED", attributes: { output: "one" } });
    expect(await s.outputs()).toEqual({ out: "one" });
  });

  it("is followed by a replacement: the next successful update, or the rollback", async () => {
    const byHand = await stackOf(one, false);
    await byHand.update(failingInPlace);
    await byHand.update(inPlace);
    // Heat 19 answers: a new copy CREATE_COMPLETE (output four), the failed one deleted, with no
    // UPDATE events for it: a failed resource is not updated, it is replaced.
    expect(byHand.events()).toEqual(["s UPDATE_IN_PROGRESS", "a CREATE_IN_PROGRESS", "a CREATE_COMPLETE", "a DELETE_IN_PROGRESS (original)", "a DELETE_COMPLETE (original)", "s UPDATE_COMPLETE"]);
    expect(await byHand.outputs()).toEqual({ out: "four" });

    const rolledBack = await stackOf(one, true);
    await rolledBack.update(failingInPlace);
    // Heat 19 answers: ROLLBACK_COMPLETE, a a new copy with output "one", the failed one deleted.
    expect(await rolledBack.state()).toBe("ROLLBACK_COMPLETE");
    const a = await rolledBack.only("a");
    expect(a).toMatchObject({ action: "CREATE", status: "COMPLETE", attributes: { output: "one" } });
    expect(a.physicalId).not.toBe(rolledBack.original("a"));
    expect(rolledBack.events().filter((e) => e === "a CREATE_IN_PROGRESS")).toHaveLength(1);
  });
});

describe("preview after a failed replacement", () => {
  it("says what the engine will do from the original, where Heat's preview says every case is a replacement", async () => {
    const s = await stackOf(one, false);
    await s.update(failingReplacement);
    const preview = async (next: string) => {
      const p = await s.t.engine.previewUpdate(s.stack.id, { template: next });
      return Object.fromEntries(Object.entries(p).flatMap(([kind, list]) => list.map((e: { resource_name: string }) => [e.resource_name, kind])));
    };
    expect(await preview(one)).toEqual({ a: "unchanged" });
    expect(await preview(inPlace)).toEqual({ a: "updated" });
    expect(await preview(replacing)).toEqual({ a: "replaced" });
    const p = await s.t.engine.previewUpdate(s.stack.id, { template: one });
    expect(p.unchanged[0]!.reason).toBe(`back to ${s.original("a")}: its failed replacement is deleted`);
  });
});
