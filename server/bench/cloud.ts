/**
 * API calls per resource created on a real OpenStack (the minicloud, or the cloud OS_* / OS_CLOUD
 * name), counted in Kiln's Keystone session: authentication, lookups, creates and the change
 * watcher's rounds while servers boot. Skipped (with a note) when no cloud answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { CloudDirectory } from "../clouds/openstackCloud";
import { memberCredentials, testCloud } from "../clouds/testing/testCloud";
import { createRuntime } from "../services/runtime";
import { openDatabase } from "../store/database";

type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const SERVERS = 5;

export async function benchCloud(report: Report) {
  let fx;
  try {
    fx = await testCloud();
  } catch (e) {
    console.error(`cloud bench skipped: ${(e as Error).message}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-cloud-"));
  const db = await openDatabase(`file:${path.join(dir, "kiln.db")}`);
  let clouds!: CloudDirectory;
  const rt = createRuntime(db, pino({ level: "warn" }), {
    publicUrl: () => "http://localhost:3000",
    clouds: (wake) => (clouds = new CloudDirectory(wake, { credentials: memberCredentials() })),
  });
  rt.queue.start(4);
  const name = `bench-cloud-${Date.now().toString(36)}`;
  let template = `heat_template_version: 2018-08-31
resources:
  net: { type: OS::Neutron::Net }
  subnet: { type: OS::Neutron::Subnet, properties: { network: { get_resource: net }, cidr: 10.77.0.0/24 } }
`;
  for (let i = 0; i < SERVERS; i++) {
    template += `  server${i}:\n    type: OS::Nova::Server\n    properties: { image: ${fx.image}, flavor: ${fx.flavor}, networks: [{ network: { get_resource: net } }] }\n`;
  }
  const resources = SERVERS + 2;
  const settled = async (id: string, action: string) => {
    for (;;) {
      const s = await rt.store.getStack(id);
      if (!s) return "DELETE_COMPLETE";
      if (s.action === action && s.status !== "IN_PROGRESS") return `${s.action}_${s.status}`;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  try {
    const cloud = (await clouds.forProject("bench"))!;
    const before = cloud.calls;
    const roundsBefore = cloud.watcher.rounds;
    const t0 = performance.now();
    const stack = await rt.engine.createStack({ projectId: "bench", name, template });
    const state = await settled(stack.id, "CREATE");
    const createMs = performance.now() - t0;
    if (state !== "CREATE_COMPLETE") throw new Error(`cloud bench stack ${state}: ${(await rt.store.getStack(stack.id))?.statusReason}`);
    const created = cloud.calls - before;
    report("openstack_api_calls_per_resource_created", created / resources, "calls", {
      resources,
      servers: SERVERS,
      calls: created,
      watcher_rounds: cloud.watcher.rounds - roundsBefore,
      create_ms: Math.round(createMs),
      cloud: cloud.label,
    });
    const beforeDelete = cloud.calls;
    const t1 = performance.now();
    await rt.engine.deleteStack(stack.id);
    await settled(stack.id, "DELETE");
    report("openstack_api_calls_per_resource_deleted", (cloud.calls - beforeDelete) / resources, "calls", {
      resources,
      calls: cloud.calls - beforeDelete,
      delete_ms: Math.round(performance.now() - t1),
    });
  } finally {
    await rt.queue.stop();
    clouds.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
