/**
 * One behavioural specification of SoftwareStore, run against the in-memory reference and the
 * Prisma store on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceRecord, SoftwareConfigRecord, SoftwareDeploymentRecord, SoftwareStore, StateStore } from "../engine/ports";
import { MemoryStore } from "../engine/testing/memoryStore";
import { openDatabase } from "./database";
import { PrismaStateStore } from "./prismaStateStore";
import { testCipher } from "./testing/testCipher";
import { PrismaSoftwareStore } from "./softwareStore";
import { testDatabases } from "./testing/testDatabases";

interface Subject {
  software: SoftwareStore;
  state: StateStore;
  dispose(): Promise<void>;
}

const subjects: { name: string; open(): Promise<Subject> }[] = [
  {
    name: "memory",
    open: async () => {
      const store = new MemoryStore();
      return { software: store, state: store, dispose: async () => {} };
    },
  },
  ...testDatabases.map(({ provider, create }) => ({
    name: `prisma on ${provider}`,
    open: async (): Promise<Subject> => {
      const target = await create();
      const db = await openDatabase(target.url);
      return {
        software: new PrismaSoftwareStore(db, testCipher),
        state: new PrismaStateStore(db, testCipher),
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

const config = (overrides: Partial<SoftwareConfigRecord> = {}): SoftwareConfigRecord => ({
  id: uid("cfg"),
  projectId: "p1",
  name: "s-config-abc",
  group: "script",
  config: { config: "#!/bin/sh\necho ü", inputs: [{ name: "foo", type: "String", value: 1 }], outputs: [{ name: "out", type: "String", error_output: false }], options: null },
  createdAt: t0,
  ...overrides,
});

const deployment = (overrides: Partial<SoftwareDeploymentRecord> = {}): SoftwareDeploymentRecord => ({
  id: uid("dep"),
  projectId: "p1",
  serverId: "server-1",
  configId: "cfg-1",
  inputValues: { foo: { nested: [1, null] } },
  outputValues: {},
  action: "CREATE",
  status: "IN_PROGRESS",
  statusReason: "Deploy data available",
  stackId: "stack-1",
  resourceId: "res-1",
  resourceName: "deploy",
  resourceType: "OS::Heat::SoftwareDeployment",
  signalToken: "token",
  createdAt: t0,
  updatedAt: t0,
  ...overrides,
});

for (const subject of subjects) {
  describe(`SoftwareStore: ${subject.name}`, () => {
    let s: Subject;
    beforeAll(async () => {
      s = await subject.open();
    }, 60_000);
    afterAll(async () => s?.dispose());

    it("stores a config as given and deletes it", async () => {
      const c = config();
      await s.software.createConfig(c);
      expect(await s.software.getConfig(c.id)).toEqual(c);
      await s.software.deleteConfig(c.id);
      expect(await s.software.getConfig(c.id)).toBeUndefined();
    });

    it("a config is immutable: storing the same id again keeps the first", async () => {
      const c = config();
      await s.software.createConfig(c);
      await s.software.createConfig({ ...c, group: "other" });
      expect((await s.software.getConfig(c.id))!.group).toBe("script");
    });

    it("stores, replaces and lists a server's deployments oldest first", async () => {
      const server = uid("server");
      const later = deployment({ serverId: server, createdAt: "2025-01-02T03:04:06.000Z", updatedAt: "2025-01-02T03:04:06.000Z" });
      const first = deployment({ serverId: server });
      await s.software.putDeployment(later);
      await s.software.putDeployment(first);
      await s.software.putDeployment(deployment());
      expect(await s.software.serverDeployments(server)).toEqual([first, later]);
      await s.software.putDeployment({ ...first, configId: "cfg-2", action: "UPDATE" });
      expect(await s.software.getDeployment(first.id)).toMatchObject({ configId: "cfg-2", action: "UPDATE", createdAt: t0 });
      await s.software.deleteDeployment(first.id);
      expect((await s.software.serverDeployments(server)).map((d) => d.id)).toEqual([later.id]);
    });

    it("an update guarded by status applies once: the second signal finds the row finished", async () => {
      const d = deployment();
      await s.software.putDeployment(d);
      const patch = { status: "COMPLETE" as const, statusReason: "Outputs received", outputValues: { deploy_status_code: 0 } };
      expect(await s.software.updateDeployment(d.id, patch, "IN_PROGRESS")).toBe(true);
      expect(await s.software.updateDeployment(d.id, { status: "FAILED" }, "IN_PROGRESS")).toBe(false);
      expect(await s.software.getDeployment(d.id)).toMatchObject(patch);
      expect(await s.software.updateDeployment("missing", { status: "FAILED" })).toBe(false);
    });

    it("a server's stamp moves forward a whole second each change, even within one second", async () => {
      const server = uid("server");
      expect(await s.software.serverStamp(server)).toBeUndefined();
      const now = Date.parse("2025-01-02T03:04:05.678Z");
      const a = await s.software.touchServer(server, "p1", now);
      const b = await s.software.touchServer(server, "p1", now + 100);
      const c = await s.software.touchServer(server, "p1", now + 10_000);
      expect([a.modifiedAt, b.modifiedAt, c.modifiedAt]).toEqual([now - 678, now - 678 + 1000, now - 678 + 10_000]);
      expect([a.version, b.version, c.version]).toEqual([1, 2, 3]);
      expect(await s.software.serverStamp(server)).toEqual(c);
    });

    it("finds a server's current resource row, a DeployedServer or a Nova server, by its physical id or its resource id", async () => {
      const serverId = uid("server");
      const row = (o: Partial<ResourceRecord>): ResourceRecord => ({
        id: uid("res"),
        stackId: "stack-1",
        name: "server",
        type: "OS::Heat::DeployedServer",
        physicalId: serverId,
        action: "CREATE",
        status: "COMPLETE",
        statusReason: "",
        templateId: null,
        requires: [],
        replaces: null,
        replacedBy: null,
        lockTraversal: null,
        convergedTraversal: null,
        properties: {},
        attributes: {},
        data: { credential: "c" },
        createdAt: t0,
        updatedAt: t0,
        ...o,
      });
      const current = row({});
      await s.state.createResources([row({ type: "OS::Heat::None" }), row({ replacedBy: "x" }), current]);
      expect((await s.software.serverResource(serverId))?.id).toBe(current.id);
      expect((await s.software.serverResource(current.id))?.id).toBe(current.id);
      expect(await s.software.serverResource(uid("nothing"))).toBeUndefined();
      // A Nova server is named by its resource id until Nova has given it an id.
      const nova = row({ type: "OS::Nova::Server", physicalId: null, name: "vm" });
      const other = row({ type: "OS::Heat::None", physicalId: null, name: "none" });
      await s.state.createResources([nova, other]);
      expect((await s.software.serverResource(nova.id))?.name).toBe("vm");
      expect(await s.software.serverResource(other.id)).toBeUndefined();
    });
  });
}

// The reads for people (the UI and `kiln software …`): only the Prisma store has them.
for (const { provider, create } of testDatabases) {
  describe(`PrismaSoftwareStore's reads for people: ${provider}`, () => {
    let software: PrismaSoftwareStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const target = await create();
      const db = await openDatabase(target.url);
      software = new PrismaSoftwareStore(db, testCipher);
      dispose = async () => {
        await db.close();
        await target.dispose();
      };
    }, 60_000);
    afterAll(async () => dispose?.());

    it("lists a project's configs newest first, a page after a marker, and none of another project's", async () => {
      const project = uid("project");
      const at = (s: number) => `2025-01-02T03:04:0${s}.000Z`;
      const [a, b, c] = [config({ projectId: project, createdAt: at(1) }), config({ projectId: project, createdAt: at(2) }), config({ projectId: project, createdAt: at(3) })];
      for (const x of [b, a, c, config({ projectId: uid("other") })]) await software.createConfig(x);
      expect((await software.projectConfigs(project, 10))!.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
      expect((await software.projectConfigs(project, 1, c.id))!.map((x) => x.id)).toEqual([b.id]);
      expect(await software.projectConfigs(project, 10, uid("missing"))).toBeUndefined();
      expect((await software.projectConfigs(project, 10))![0]).toEqual(c);
    });

    it("lists a project's deployments oldest first, of one server if asked, and finds the deployment of a derived config", async () => {
      const project = uid("project");
      const later = deployment({ projectId: project, serverId: "s2", createdAt: "2025-01-02T03:04:09.000Z" });
      const first = deployment({ projectId: project, serverId: "s1", configId: uid("derived") });
      for (const d of [later, first, deployment({ projectId: uid("other") })]) await software.putDeployment(d);
      expect((await software.projectDeployments(project)).map((d) => d.id)).toEqual([first.id, later.id]);
      expect((await software.projectDeployments(project, "s2")).map((d) => d.id)).toEqual([later.id]);
      expect(await software.deploymentOfConfig(first.configId)).toEqual(first);
    });
  });
}
