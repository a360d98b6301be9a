/**
 * One behavioural specification of StateStore, run against the in-memory reference and the
 * Prisma store on SQLite and on PostgreSQL: whatever the engine's tests prove in memory holds
 * on a real database.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ResourceRecord,
  type StackRecord,
  type StateStore,
  type SyncPointRecord,
} from "../engine/ports";
import { MemoryStore } from "../engine/testing/memoryStore";
import { openDatabase, type Database } from "./database";
import { PrismaStateStore } from "./prismaStateStore";
import { testCipher } from "./testing/testCipher";
import { query, sql } from "./sql";
import { testDatabases, type TestDatabaseUrl } from "./testing/testDatabases";
import { DuplicateStackName } from "../engine/errors";

interface Subject {
  store: StateStore;
  /** The database's URL, for a second process to open, when there is a database. */
  url?: string;
  dispose(): Promise<void>;
}

const subjects: { name: string; open(): Promise<Subject> }[] = [
  {
    name: "memory",
    open: async () => ({ store: new MemoryStore(), dispose: async () => {} }),
  },
  ...testDatabases.map(({ provider, create }) => ({
    name: `prisma on ${provider}`,
    open: async (): Promise<Subject> => {
      const target: TestDatabaseUrl = await create();
      const db: Database = await openDatabase(target.url);
      return {
        store: new PrismaStateStore(db, testCipher),
        url: target.url,
        dispose: async () => {
          await db.close();
          await target.dispose();
        },
      };
    },
  })),
];

let serial = 0;
const uid = (prefix: string) => `${prefix}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;
const t0 = "2025-01-02T03:04:05.678Z";

function stack(overrides: Partial<StackRecord> = {}): StackRecord {
  const id = overrides.id ?? uid("stack");
  return {
    id,
    projectId: "p1",
    name: uid("name"),
    parentResourceId: null,
    rootStackId: id,
    stackPath: "",
    action: "CREATE",
    status: "IN_PROGRESS",
    statusReason: "Stack CREATE started",
    templateId: "tmpl-1",
    prevTemplateId: null,
    parameters: { flavor: "m1.small", count: 3, nested: { list: [1, "two", null] } },
    currentTraversal: "trav-1",
    disableRollback: false,
    timeoutMins: 60,
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

function resource(stackId: string, overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    id: uid("res"),
    stackId,
    name: uid("r"),
    type: "OS::Heat::RandomString",
    physicalId: null,
    action: "INIT",
    status: "COMPLETE",
    statusReason: "",
    templateId: null,
    requires: ["a", "b"],
    replaces: null,
    replacedBy: null,
    lockTraversal: null,
    convergedTraversal: null,
    properties: { length: 8 },
    attributes: { value: "s3cr3t" },
    data: { salt: "x" },
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

function syncPoint(overrides: Partial<SyncPointRecord> = {}): SyncPointRecord {
  return { traversal: uid("trav"), node: "update:server", stackId: uid("stack"), remaining: 2, successors: ["stack"], ...overrides };
}

/** A second process on the same database, ready to fire its arrivals when told to. */
async function startArrivingElsewhere(url: string, traversal: string, node: string, predecessors: string[]) {
  const script = fileURLToPath(new URL("./testing/arriveElsewhere.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, url, traversal, node, ...predecessors], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const exited = once(child, "exit");
  while (!out.includes("ready\n")) {
    await Promise.race([once(child.stdout, "data"), exited.then(() => Promise.reject(new Error("the other process died")))]);
  }
  return {
    async go(): Promise<boolean[]> {
      child.stdin.end("go\n");
      await exited;
      return JSON.parse(out.slice(out.indexOf("ready\n") + "ready\n".length));
    },
  };
}

describe.each(subjects)("the state store ($name)", ({ open }) => {
  let subject: Subject;
  let store: StateStore;
  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });
  afterAll(async () => {
    await subject?.dispose();
  });

  describe("templates", () => {
    it("reads back a saved template exactly", async () => {
      const t = {
        id: uid("tmpl"),
        projectId: "p1",
        template: "heat_template_version: 2018-08-31\nresources: {}\n",
        files: { "nested.yaml": "resources: {}", "script.sh": "#!/bin/sh\necho ✓" },
        environment: ["parameters: {a: 1}", "resource_registry: {}"],
      };
      await store.saveTemplate(t);
      expect(await store.getTemplate(t.id)).toEqual(t);
    });

    it("reads back versions whose large files and environment documents they share, exactly, as another process reads them", async () => {
      const files = { "big.yaml": `heat_template_version: 2018-08-31\ndescription: ${"é".repeat(20_000)}\n`, "small.sh": "echo hi" };
      const inherited = JSON.stringify({ parameter_defaults: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, `secret-${i}`])) });
      const versions = ["a", "b"].map((v) => ({
        id: uid("tmpl"),
        projectId: "p1",
        template: `heat_template_version: 2018-08-31\ndescription: ${v}\n`,
        files,
        environment: [inherited, `parameters: {member: ${v}}`],
      }));
      for (const v of versions) await store.saveTemplate(v);
      for (const v of versions) expect(await store.getTemplate(v.id)).toEqual(v);
      // Another project's version holding the same texts reads back its own.
      const other = { ...versions[0]!, id: uid("tmpl"), projectId: "p2" };
      await store.saveTemplate(other);
      expect(await store.getTemplate(other.id)).toEqual(other);
      if (!subject.url) return; // memory lives in one process
      const fresh = await openDatabase(subject.url);
      try {
        const reader = new PrismaStateStore(fresh, testCipher);
        for (const v of [...versions, other]) expect(await reader.getTemplate(v.id)).toEqual(v);
        // Stored once per project: a document per large part, sealed, the versions' rows holding ids.
        const shared = await query<{ projectId: string; content: string }>(fresh, sql`SELECT "projectId", "content" FROM "SharedDocument" ORDER BY "projectId"`);
        expect(shared.map((r) => r.projectId)).toEqual(["p1", "p1", "p2", "p2"]);
        expect(shared.every((r) => r.content.startsWith("kiln-sealed:") && !r.content.includes("secret-1"))).toBe(true);
        const rows = await query<{ files: string; environment: string }>(fresh, sql`SELECT "files", "environment" FROM "RawTemplate" WHERE "id" = ${versions[0]!.id}`);
        expect(rows[0]!.files.length).toBeLessThan(200);
        expect(rows[0]!.environment.length).toBeLessThan(300);
        // Small files stay in the row, sealed: the CLI sends its environment files, passwords and all, among them.
        const small = { id: uid("tmpl"), projectId: "p1", template: "heat_template_version: 2018-08-31\n", files: { "passwords.yaml": "parameter_defaults:\n  AdminPassword: Sealed-At-Rest-1\n" }, environment: [] };
        await store.saveTemplate(small);
        const [row] = await query<{ files: string }>(fresh, sql`SELECT "files" FROM "RawTemplate" WHERE "id" = ${small.id}`);
        expect(row!.files.startsWith("kiln-sealed:") && !row!.files.includes("Sealed-At-Rest-1")).toBe(true);
        expect(await reader.getTemplate(small.id)).toEqual(small);
      } finally {
        await fresh.close();
      }
    });

    it("answers undefined for an unknown template", async () => {
      expect(await store.getTemplate("no-such-template")).toBeUndefined();
    });
  });

  describe("stacks", () => {
    it("reads back a created stack exactly, by id and by name", async () => {
      const s = stack();
      await store.createStack(s);
      expect(await store.getStack(s.id)).toEqual(s);
      expect(await store.findStackByName("p1", s.name)).toEqual(s);
      expect(await store.findStackByName("p2", s.name)).toBeUndefined();
      expect(await store.getStack("no-such-stack")).toBeUndefined();
    });

    it("rejects a second stack with the same name in a project, but not in another project", async () => {
      const s = stack();
      await store.createStack(s);
      const again = store.createStack(stack({ name: s.name }));
      await expect(again).rejects.toBeInstanceOf(DuplicateStackName);
      await expect(again).rejects.toMatchObject({ stackName: s.name });
      await store.createStack(stack({ name: s.name, projectId: "p-other" }));
      expect(await store.getStack(s.id)).toEqual(s);
    });

    it("lists a project's top-level stacks only", async () => {
      const project = uid("project");
      const a = stack({ projectId: project });
      const b = stack({ projectId: project });
      const child = stack({ projectId: project, parentResourceId: uid("res"), rootStackId: a.id, stackPath: "web" });
      for (const s of [a, b, child, stack({ projectId: uid("project") })]) await store.createStack(s);
      const listed = await store.listStacks(project);
      expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store.listStacks(uid("empty-project"))).toEqual([]);
    });

    it("finds the child stacks owned by given parent resources", async () => {
      const root = stack();
      const [r1, r2, r3] = [uid("res"), uid("res"), uid("res")];
      const c1 = stack({ parentResourceId: r1, rootStackId: root.id, stackPath: "group/0" });
      const c2 = stack({ parentResourceId: r2, rootStackId: root.id });
      const c3 = stack({ parentResourceId: r3, rootStackId: root.id });
      for (const s of [root, c1, c2, c3]) await store.createStack(s);
      const found = await store.childStacks([r1, r2, "no-such-resource"]);
      expect(found.map((s) => s.id).sort()).toEqual([c1.id, c2.id].sort());
      expect(found.find((s) => s.id === c1.id)).toEqual(c1);
      expect(await store.childStacks([])).toEqual([]);
    });

    it("applies a patch and stamps updatedAt", async () => {
      const s = stack();
      await store.createStack(s);
      const before = Date.now();
      const ok = await store.updateStack(s.id, {
        status: "COMPLETE",
        statusReason: "Stack CREATE completed successfully",
        parameters: { flavor: "m1.large" },
        timeoutMins: null,
        disableRollback: true,
      });
      expect(ok).toBe(true);
      const back = await store.getStack(s.id);
      expect(back).toEqual({
        ...s,
        status: "COMPLETE",
        statusReason: "Stack CREATE completed successfully",
        parameters: { flavor: "m1.large" },
        timeoutMins: null,
        disableRollback: true,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(back!.updatedAt)).toBeGreaterThanOrEqual(before - 5);
    });

    it("applies a guarded patch only while the stack's traversal is still the expected one", async () => {
      const s = stack({ currentTraversal: "t-old" });
      await store.createStack(s);
      expect(await store.updateStack(s.id, { currentTraversal: "t-new" }, "t-old")).toBe(true);
      expect(await store.updateStack(s.id, { status: "FAILED" }, "t-old")).toBe(false);
      expect(await store.getStack(s.id)).toMatchObject({ currentTraversal: "t-new", status: "IN_PROGRESS" });
      expect(await store.updateStack(s.id, { status: "COMPLETE" }, "t-new")).toBe(true);
      expect((await store.getStack(s.id))?.status).toBe("COMPLETE");
    });

    it("treats a null guard as 'no traversal is current'", async () => {
      const s = stack({ currentTraversal: null });
      await store.createStack(s);
      expect(await store.updateStack(s.id, { currentTraversal: "t1" }, null)).toBe(true);
      expect(await store.updateStack(s.id, { currentTraversal: "t2" }, null)).toBe(false);
      expect((await store.getStack(s.id))?.currentTraversal).toBe("t1");
    });

    it("answers false when updating a stack that does not exist", async () => {
      expect(await store.updateStack("no-such-stack", { status: "FAILED" })).toBe(false);
    });

    it("forgets a deleted stack, and its name can be used again", async () => {
      const s = stack();
      await store.createStack(s);
      await store.deleteStack(s.id);
      expect(await store.getStack(s.id)).toBeUndefined();
      expect(await store.findStackByName(s.projectId, s.name)).toBeUndefined();
      await store.createStack(stack({ name: s.name }));
    });
  });

  describe("resources", () => {
    it("reads back a created resource exactly, and lists a stack's resources", async () => {
      const stackId = uid("stack");
      const a = resource(stackId, { physicalId: "phys-1", templateId: "tmpl", convergedTraversal: "t0", replaces: "old" });
      const b = resource(stackId);
      await store.createResources([a, b, resource(uid("stack"))]);
      expect(await store.getResource(a.id)).toEqual(a);
      const listed = await store.listResources(stackId);
      expect(listed.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
      expect(listed.find((r) => r.id === b.id)).toEqual(b);
      expect(await store.getResource("no-such-resource")).toBeUndefined();
    });

    it("finds the rows of one resource name in a stack: the current one and replaced copies", async () => {
      const stackId = uid("stack");
      const old = resource(stackId, { name: "server", replacedBy: "new" });
      const fresh = resource(stackId, { name: "server", replaces: old.id, createdAt: "2025-01-02T03:04:06.000Z" });
      await store.createResources([old, fresh, resource(stackId, { name: "other" }), resource(uid("stack"), { name: "server" })]);
      const found = await store.findResources(stackId, "server");
      expect(found.map((r) => r.id).sort()).toEqual([old.id, fresh.id].sort());
      expect(found.find((r) => r.id === fresh.id)).toEqual(fresh);
      expect(await store.findResources(stackId, "nothing")).toEqual([]);
    });

    it("finds the rows of several resource names of one stack in one read, and only theirs", async () => {
      const stackId = uid("stack");
      const old = resource(stackId, { name: "a", replacedBy: "new" });
      const fresh = resource(stackId, { name: "a", replaces: old.id, createdAt: "2025-01-02T03:04:06.000Z" });
      const b = resource(stackId, { name: "b" });
      await store.createResources([old, fresh, b, resource(stackId, { name: "c" }), resource(uid("stack"), { name: "a" })]);
      const found = await store.findResourcesNamed(stackId, ["a", "b", "missing"]);
      expect(found.map((r) => r.id).sort()).toEqual([old.id, fresh.id, b.id].sort());
      expect(found.find((r) => r.id === b.id)).toEqual(b);
      expect(await store.findResourcesNamed(stackId, [])).toEqual([]);
    });

    it("lists the id and name of every row of a stack, replaced copies included, and of no other stack", async () => {
      const stackId = uid("stack");
      const old = resource(stackId, { name: "a", replacedBy: "new" });
      const fresh = resource(stackId, { name: "a", replaces: old.id });
      const b = resource(stackId, { name: "b" });
      await store.createResources([old, fresh, b, resource(uid("stack"), { name: "a" })]);
      const listed = await store.listResourceIds(stackId);
      expect(listed.sort((x, y) => x.id.localeCompare(y.id))).toEqual([old, fresh, b].map(({ id, name }) => ({ id, name })).sort((x, y) => x.id.localeCompare(y.id)));
      expect(await store.listResourceIds(uid("stack"))).toEqual([]);
    });

    it("counts the resources of a whole tree of nested stacks from its root", async () => {
      const root = stack();
      const child = stack({ parentResourceId: uid("res"), rootStackId: root.id, stackPath: "group" });
      const other = stack();
      for (const s of [root, child, other]) await store.createStack(s);
      await store.createResources([
        resource(root.id, { name: "group" }),
        ...Array.from({ length: 3 }, (_, i) => resource(child.id, { name: String(i) })),
        resource(other.id, { name: "elsewhere" }),
      ]);
      expect(await store.countTreeResources(root.id)).toBe(4);
      expect(await store.countTreeResources(uid("no-such-stack"))).toBe(0);
    });

    it("creates many resources in one call", async () => {
      const stackId = uid("stack");
      const rows = Array.from({ length: 450 }, (_, i) => resource(stackId, { name: `r${i}` }));
      await store.createResources(rows);
      await store.createResources([]);
      expect(await store.listResources(stackId)).toHaveLength(450);
      expect(await store.getResource(rows[449].id)).toEqual(rows[449]);
    });

    it("applies a patch, JSON fields included, and stamps updatedAt", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.updateResource(r.id, {
        action: "CREATE",
        status: "COMPLETE",
        physicalId: "p-42",
        attributes: { value: "new", list: [1, 2] },
        requires: [],
        data: {},
      });
      const back = await store.getResource(r.id);
      expect(back).toEqual({
        ...r,
        action: "CREATE",
        status: "COMPLETE",
        physicalId: "p-42",
        attributes: { value: "new", list: [1, 2] },
        requires: [],
        data: {},
        updatedAt: expect.any(String),
      });
      expect(back!.updatedAt).not.toBe(t0);
    });

    it("forgets a deleted resource", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.deleteResource(r.id);
      expect(await store.getResource(r.id)).toBeUndefined();
      await store.updateResource(r.id, { status: "FAILED" });
      expect(await store.getResource(r.id)).toBeUndefined();
    });
  });

  describe("resource locks", () => {
    it("takes a free lock and answers the row as locked", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      const got = await store.lockResource(r.id, "t1");
      expect(got.heldBy).toBeUndefined();
      expect(got.resource).toEqual({ ...r, lockTraversal: "t1" });
      expect((await store.getResource(r.id))?.lockTraversal).toBe("t1");
    });

    it("lets the holding traversal take its lock again", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      const again = await store.lockResource(r.id, "t1");
      expect(again.resource?.lockTraversal).toBe("t1");
    });

    it("refuses another traversal, naming the holder", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      expect(await store.lockResource(r.id, "t2")).toEqual({ heldBy: "t1" });
    });

    it("answers neither row nor holder for a resource that does not exist", async () => {
      expect(await store.lockResource("no-such-resource", "t1")).toEqual({});
    });

    it("ignores an unlock by a traversal that does not hold the lock", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      await store.unlockResource(r.id, "t2", { status: "FAILED" });
      expect(await store.getResource(r.id)).toMatchObject({ lockTraversal: "t1", status: "COMPLETE" });
    });

    it("updates a held row only while its traversal holds it, keeping the lock", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      expect(await store.updateHeldResource(r.id, "t1", { data: { waiting: 1 }, lockTraversal: null })).toBe(true);
      expect(await store.getResource(r.id)).toMatchObject({ lockTraversal: "t1", data: { waiting: 1 } });
      expect(await store.updateHeldResource(r.id, "t2", { data: { waiting: 2 } })).toBe(false);
      await store.unlockResource(r.id, "t1", {});
      expect(await store.updateHeldResource(r.id, "t1", { data: { waiting: 3 } })).toBe(false); // released meanwhile: nothing written
      expect(await store.getResource(r.id)).toMatchObject({ lockTraversal: null, data: { waiting: 1 } });
      expect(await store.updateHeldResource("no-such-resource", "t1", { data: {} })).toBe(false);
    });

    it("names a cloud object made after the row was released, only while nothing holds the row and it names what it did", async () => {
      const r = resource(uid("stack"), { physicalId: null });
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      expect(await store.recordMadeObject(r.id, null, "vm-1")).toBe(false); // held: its action stores its own
      await store.unlockResource(r.id, "t1", { status: "FAILED" });
      expect(await store.recordMadeObject(r.id, "vm-0", "vm-1")).toBe(false); // names another object
      expect(await store.recordMadeObject(r.id, null, "vm-1")).toBe(true);
      expect(await store.getResource(r.id)).toMatchObject({ physicalId: "vm-1", status: "FAILED", lockTraversal: null });
      expect(await store.recordMadeObject(r.id, null, "vm-2")).toBe(false); // it names vm-1 now
      expect(await store.recordMadeObject(r.id, "vm-1", "vm-2")).toBe(true);
      expect((await store.getResource(r.id))?.physicalId).toBe("vm-2");
      await store.lockResource(r.id, "t2");
      expect(await store.recordMadeObject(r.id, "vm-2", "vm-3")).toBe(false); // taken again by a newer traversal
      expect(await store.recordMadeObject("no-such-resource", null, "vm-1")).toBe(false);
    });

    it("unlocks and applies the patch in one step, after which another traversal can lock", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t1");
      await store.unlockResource(r.id, "t1", {
        action: "CREATE",
        status: "COMPLETE",
        convergedTraversal: "t1",
        attributes: { value: "v" },
        lockTraversal: "t1", // a patch cannot keep the lock
      });
      expect(await store.getResource(r.id)).toMatchObject({
        lockTraversal: null,
        action: "CREATE",
        convergedTraversal: "t1",
        attributes: { value: "v" },
      });
      expect((await store.lockResource(r.id, "t2")).resource?.lockTraversal).toBe("t2");
    });

    it("starts a create in the write that takes the lock, only while the resource is not created yet", async () => {
      const r = resource(uid("stack"), { action: "INIT" });
      await store.createResources([r]);
      const start = { action: "CREATE", status: "IN_PROGRESS", convergedTraversal: "t1", properties: { size: 2 } } as const;
      const first = await store.lockResource(r.id, "t1", { id: "job-1" }, start);
      expect(first).toMatchObject({ started: true, resource: { ...start, lockTraversal: "t1" } });
      expect(await store.getResource(r.id)).toMatchObject({ ...start, lockTraversal: "t1" });
      // Redelivered, the same job takes its lock again; the row has moved on from INIT, so it is only locked.
      const again = await store.lockResource(r.id, "t1", { id: "job-1" }, { ...start, properties: { size: 3 } });
      expect(again.started).toBeFalsy();
      expect(again.resource).toMatchObject({ properties: { size: 2 }, lockTraversal: "t1" });
      // Held by another traversal: neither locked nor started.
      const other = resource(uid("stack"), { action: "INIT" });
      await store.createResources([other]);
      await store.lockResource(other.id, "t1");
      expect(await store.lockResource(other.id, "t2", undefined, start)).toEqual({ heldBy: "t1" });
      expect(await store.getResource(other.id)).toMatchObject({ action: "INIT", lockTraversal: "t1" });
    });

    it("a release or deletion answers the stack's current traversal as it left the row, so the job knows whether to go on", async () => {
      const s = stack({ currentTraversal: "t1" });
      await store.createStack(s);
      const [kept, deleted] = [resource(s.id), resource(s.id, { name: "other" })];
      await store.createResources([kept, deleted]);
      await store.lockResource(kept.id, "t1");
      expect(await store.unlockResource(kept.id, "t1", { status: "COMPLETE" })).toBe("t1");
      expect(await store.unlockResource(kept.id, "t1", { status: "FAILED" })).toBeUndefined(); // not held: nothing written
      await store.updateStack(s.id, { currentTraversal: null });
      await store.lockResource(kept.id, "t1");
      expect(await store.unlockResource(kept.id, "t1", {})).toBeNull();
      await store.updateStack(s.id, { currentTraversal: "t2" });
      expect(await store.deleteResource(deleted.id)).toBe("t2");
      expect(await store.deleteResource(deleted.id)).toBeUndefined();
      await store.deleteStack(s.id);
      expect(await store.deleteResource(kept.id)).toBeUndefined();
    });

    it("creates a resource in one write, lock left free, only while it is not created yet and no other job holds it", async () => {
      const s = stack({ currentTraversal: "t1" });
      await store.createStack(s);
      const r = resource(s.id, { action: "INIT" });
      await store.createResources([r]);
      const created = { action: "CREATE", status: "COMPLETE", convergedTraversal: "t1", physicalId: "p1", data: { kept: "x" } } as const;
      expect(await store.createAtOnce(r.id, "t1", { id: "job-1" }, created)).toEqual({ written: true, stackTraversal: "t1" });
      expect(await store.getResource(r.id)).toMatchObject({ ...created, lockTraversal: null });
      // Created already: a second create (a redelivered job) changes nothing.
      expect(await store.createAtOnce(r.id, "t1", { id: "job-1" }, { ...created, physicalId: "p2" })).toEqual({ written: false, stackTraversal: undefined });
      expect((await store.getResource(r.id))?.physicalId).toBe("p1");
      // Held by another traversal, or by another job of this one: untouched, and still held.
      const held = resource(s.id, { name: "held", action: "INIT" });
      await store.createResources([held]);
      await store.lockResource(held.id, "t0");
      expect((await store.createAtOnce(held.id, "t1", undefined, created)).written).toBe(false);
      await store.unlockResource(held.id, "t0", {});
      await store.lockResource(held.id, "t1", { id: "job-1" });
      expect((await store.createAtOnce(held.id, "t1", { id: "job-2" }, created)).written).toBe(false);
      expect(await store.getResource(held.id)).toMatchObject({ action: "INIT", lockTraversal: "t1" });
      // The job that holds it may.
      expect((await store.createAtOnce(held.id, "t1", { id: "job-1" }, created)).written).toBe(true);
      expect(await store.getResource(held.id)).toMatchObject({ status: "COMPLETE", lockTraversal: null });
    });

    it("deletes a resource in one write unless another job holds it", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      await store.lockResource(r.id, "t0");
      expect((await store.deleteAtOnce(r.id, "t1", undefined)).deleted).toBe(false);
      await store.unlockResource(r.id, "t0", {});
      await store.lockResource(r.id, "t1", { id: "job-1" });
      expect((await store.deleteAtOnce(r.id, "t1", { id: "job-2" })).deleted).toBe(false);
      expect(await store.getResource(r.id)).toBeDefined();
      expect(await store.deleteAtOnce(r.id, "t1", { id: "job-1" })).toEqual({ deleted: true, stackTraversal: undefined });
      expect(await store.getResource(r.id)).toBeUndefined();
      expect(await store.deleteAtOnce(r.id, "t1", { id: "job-1" })).toEqual({ deleted: false, stackTraversal: undefined });
    });

    it("gives a contended free lock to exactly one of many traversals", async () => {
      const r = resource(uid("stack"));
      await store.createResources([r]);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.lockResource(r.id, `t${i}`)));
      const winners = results.filter((x) => x.resource);
      expect(winners).toHaveLength(1);
      const holder = winners[0].resource!.lockTraversal;
      for (const x of results) if (!x.resource) expect(x.heldBy).toBe(holder);
    });
  });

  describe("sync points", () => {
    it("reads back created sync points", async () => {
      const p = syncPoint({ successors: ["update:a", "cleanup:b"] });
      const q = syncPoint({ traversal: p.traversal, node: "stack", successors: [] });
      await store.createSyncPoints([p, q]);
      expect(await store.getSyncPoint(p.traversal, p.node)).toEqual(p);
      expect(await store.getSyncPoint(q.traversal, "stack")).toEqual(q);
      expect(await store.getSyncPoint(p.traversal, "update:nothing")).toBeUndefined();
      await store.createSyncPoints([]);
    });

    it("reads a traversal's whole state: its nodes, and which predecessor arrived where", async () => {
      const p = syncPoint({ remaining: 2, successors: ["stack"] });
      const q = syncPoint({ traversal: p.traversal, node: "stack", remaining: 1, successors: [] });
      await store.createSyncPoints([p, q, syncPoint()]);
      await store.arrive(p.traversal, p.node, "update:a", {});
      const state = await store.traversalState(p.traversal);
      expect([...state.points].sort((x, y) => x.node.localeCompare(y.node))).toEqual([p, q].sort((x, y) => x.node.localeCompare(y.node)).map((x) => (x === p ? { ...p, remaining: 1 } : x)));
      expect(state.arrived).toEqual([{ node: p.node, predecessor: "update:a" }]);
    });

    it("stores a large traversal graph in one call", async () => {
      const traversal = uid("trav");
      const points = Array.from({ length: 1234 }, (_, i) => syncPoint({ traversal, node: `update:r${i}`, remaining: i }));
      await store.createSyncPoints(points);
      expect(await store.getSyncPoint(traversal, "update:r1233")).toEqual(points[1233]);
      expect(await store.getSyncPoint(traversal, "update:r0")).toEqual(points[0]);
    });

    it("completes a node on its last predecessor's arrival, counting each predecessor once", async () => {
      const p = syncPoint({ remaining: 2 });
      await store.createSyncPoints([p]);
      expect(await store.arrive(p.traversal, p.node, "update:a", { id: "a" })).toBe(false);
      expect(await store.arrive(p.traversal, p.node, "update:a", { id: "a-again" })).toBe(false);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(1);
      expect(await store.arrive(p.traversal, p.node, "update:b", { id: "b" })).toBe(true);
      expect(await store.arrive(p.traversal, p.node, "update:b", { id: "b" })).toBe(false);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
    });

    it("reads back each predecessor's payload, the first one sent winning", async () => {
      const p = syncPoint({ remaining: 3 });
      await store.createSyncPoints([p]);
      await store.arrive(p.traversal, p.node, "update:a", { physicalId: "pa", attributes: { ip: "10.0.0.1" } });
      await store.arrive(p.traversal, p.node, "update:a", { physicalId: "ignored" });
      await store.arrive(p.traversal, p.node, "cleanup:b", null);
      await store.arrive(p.traversal, p.node, "update:c", ["x", 1, true]);
      const got = await store.arrivals(p.traversal, p.node);
      expect([...got].sort((x, y) => x.predecessor.localeCompare(y.predecessor))).toEqual([
        { predecessor: "cleanup:b", payload: null },
        { predecessor: "update:a", payload: { physicalId: "pa", attributes: { ip: "10.0.0.1" } } },
        { predecessor: "update:c", payload: ["x", 1, true] },
      ]);
      expect(await store.arrivals(p.traversal, "update:nothing")).toEqual([]);
    });

    it("ignores an arrival at a node that has no sync point", async () => {
      const traversal = uid("trav");
      expect(await store.arrive(traversal, "update:ghost", "update:a", {})).toBe(false);
      expect(await store.arrivals(traversal, "update:ghost")).toEqual([]);
    });

    it("answers true to exactly one of 50 concurrent arrivals", async () => {
      const p = syncPoint({ remaining: 50 });
      await store.createSyncPoints([p]);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.arrive(p.traversal, p.node, `update:r${i}`, { i })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
      expect(await store.arrivals(p.traversal, p.node)).toHaveLength(50);
    });

    it("answers true to exactly one of 450 arrivals at once: more than one statement holds", async () => {
      const p = syncPoint({ remaining: 450 });
      await store.createSyncPoints([p]);
      const results = await Promise.all(Array.from({ length: 450 }, (_, i) => store.arrive(p.traversal, p.node, `update:r${i}`, { i })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
      expect(await store.arrivals(p.traversal, p.node)).toHaveLength(450);
    });

    it("counts each predecessor once when its arrival is repeated concurrently", async () => {
      const p = syncPoint({ remaining: 10 });
      await store.createSyncPoints([p]);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.arrive(p.traversal, p.node, `update:r${i % 10}`, { i: i % 10 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
      expect(await store.arrivals(p.traversal, p.node)).toHaveLength(10);
    });

    // Two processes, not two connections in this one: better-sqlite3 waits for a lock
    // synchronously, so a second SQLite connection in the same thread would block the very
    // event loop that must finish the first connection's transaction.
    it("answers true to exactly one arrival when another process arrives at the same time", async () => {
      if (!subject.url) return; // memory lives in one process: nothing more to show
      const p = syncPoint({ remaining: 60 });
      await store.createSyncPoints([p]);
      // Each process brings 40 predecessors, 20 of them shared with the other process.
      const mine = Array.from({ length: 40 }, (_, i) => `update:r${i}`);
      const theirs = Array.from({ length: 40 }, (_, i) => `update:r${i + 20}`);
      const other = await startArrivingElsewhere(subject.url, p.traversal, p.node, theirs);
      const [ours, their] = await Promise.all([
        Promise.all(mine.map((pred) => store.arrive(p.traversal, p.node, pred, { from: "test" }))),
        other.go(),
      ]);
      expect([...ours, ...their].filter(Boolean)).toHaveLength(1);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
      expect(await store.arrivals(p.traversal, p.node)).toHaveLength(60);
    }, 30_000);

    it("counts a predecessor arriving twice at once as one, and completes each of two points arrived at together exactly once", async () => {
      const a = syncPoint({ remaining: 2 });
      const b = syncPoint({ remaining: 1, node: "update:other" });
      await store.createSyncPoints([a, b]);
      const [twice, again, atB, completesA] = await Promise.all([
        store.arrive(a.traversal, a.node, "update:x", { copy: 1 }),
        store.arrive(a.traversal, a.node, "update:x", { copy: 2 }),
        store.arrive(b.traversal, b.node, "update:x", {}),
        store.arrive(a.traversal, a.node, "update:y", {}),
      ]);
      expect([twice, again, completesA].filter(Boolean)).toHaveLength(1);
      expect(atB).toBe(true);
      expect((await store.getSyncPoint(a.traversal, a.node))?.remaining).toBe(0);
      expect((await store.arrivals(a.traversal, a.node)).map((x) => x.predecessor)).toEqual(["update:x", "update:y"]);
      expect((await store.arrivals(a.traversal, a.node))[0]?.payload).toEqual({ copy: 1 });
      expect(await store.arrive(a.traversal, a.node, "update:x", {})).toBe(false);
    });

    it("takes 300 arrivals and the same again in reverse, at once, without deadlocking: each counted once", async () => {
      const p = syncPoint({ remaining: 300 });
      await store.createSyncPoints([p]);
      const names = Array.from({ length: 300 }, (_, i) => `update:r${i}`);
      const results = await Promise.all([...names, ...[...names].reverse()].map((n) => store.arrive(p.traversal, p.node, n, {})));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(0);
      expect(await store.arrivals(p.traversal, p.node)).toHaveLength(300);
    });

    it(
      "keeps a node's progress when its traversal's sync points are stored again (a redelivered start)",
      async () => {
        const p = syncPoint({ remaining: 2 });
        await store.createSyncPoints([p]);
        await store.arrive(p.traversal, p.node, "update:a", {});
        await store.createSyncPoints([p]);
        expect((await store.getSyncPoint(p.traversal, p.node))?.remaining).toBe(1);
        expect(await store.arrive(p.traversal, p.node, "update:b", {})).toBe(true);
      },
    );

    it("purges one traversal's sync state, keeping the stack's other traversals'", async () => {
      const stackId = uid("stack");
      const done = syncPoint({ stackId, traversal: uid("done"), node: "update:a", remaining: 2 });
      const next = syncPoint({ stackId, traversal: uid("next"), node: "update:a", remaining: 2 });
      await store.createSyncPoints([done, next]);
      for (const p of [done, next]) await store.arrive(p.traversal, p.node, "update:x", { x: 1 });
      await store.purgeTraversal(done.traversal);
      expect(await store.getSyncPoint(done.traversal, done.node)).toBeUndefined();
      expect(await store.arrivals(done.traversal, done.node)).toEqual([]);
      expect(await store.getSyncPoint(next.traversal, next.node)).toMatchObject({ remaining: 1 });
      expect(await store.arrivals(next.traversal, next.node)).toHaveLength(1);
    });

    it("sweeps the traversals of a stack other than the one given and its current one", async () => {
      const s = stack({ currentTraversal: uid("cur") });
      await store.createStack(s);
      const [ended, given, current] = [uid("ended"), uid("given"), s.currentTraversal!].map((traversal) => syncPoint({ stackId: s.id, traversal, node: "update:a", remaining: 2 }));
      const elsewhere = syncPoint({ traversal: uid("other"), node: "update:a", remaining: 2 });
      await store.createSyncPoints([ended!, given!, current!, elsewhere]);
      for (const p of [ended!, given!, current!, elsewhere]) await store.arrive(p.traversal, p.node, "update:x", { x: 1 });

      await store.sweepTraversals(s.id, given!.traversal);
      expect(await store.getSyncPoint(ended!.traversal, ended!.node)).toBeUndefined();
      expect(await store.arrivals(ended!.traversal, ended!.node)).toEqual([]);
      for (const p of [given!, current!, elsewhere]) {
        expect(await store.getSyncPoint(p.traversal, p.node)).toMatchObject({ remaining: 1 });
        expect(await store.arrivals(p.traversal, p.node)).toHaveLength(1);
      }
    });

    it("purges every traversal of a stack, keeping other stacks'", async () => {
      const stackId = uid("stack");
      const old = syncPoint({ stackId, traversal: uid("old"), node: "update:a", remaining: 2 });
      const current = syncPoint({ stackId, traversal: uid("cur"), node: "update:a", remaining: 2 });
      const elsewhere = syncPoint({ traversal: uid("other"), node: "update:a", remaining: 2 });
      await store.createSyncPoints([old, current, elsewhere]);
      for (const p of [old, current, elsewhere]) await store.arrive(p.traversal, p.node, "update:x", { x: 1 });

      await store.purgeTraversals(stackId);
      for (const p of [old, current]) {
        expect(await store.getSyncPoint(p.traversal, p.node)).toBeUndefined();
        expect(await store.arrivals(p.traversal, p.node)).toEqual([]);
      }
      expect(await store.getSyncPoint(elsewhere.traversal, elsewhere.node)).toMatchObject({ remaining: 1 });
      expect(await store.arrivals(elsewhere.traversal, elsewhere.node)).toHaveLength(1);
    });
  });
});

describe.each(testDatabases)("rows the store inserts on $provider", ({ create }) => {
  it("a resource carries its stack's project (every table holding a user's data does), 'default' for a stack not stored", async () => {
    const target = await create();
    const db = await openDatabase(target.url);
    try {
      const store = new PrismaStateStore(db, testCipher);
      const own = stack({ projectId: uid("project") });
      await store.createStack(own);
      const mine = resource(own.id);
      const orphan = resource(uid("stack"));
      await store.createResources([mine, orphan]);
      const rows = await query<{ id: string; projectId: string }>(db, sql`SELECT "id", "projectId" FROM "Resource"`);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.projectId]))).toEqual({ [mine.id]: own.projectId, [orphan.id]: "default" });
    } finally {
      await db.close();
      await target.dispose();
    }
  });
});
