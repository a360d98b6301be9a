/**
 * Kiln's agent, measured: how soon a metadata change reaches the agent (pushed), against the
 * real chain's polling, and the makespan of one deployment to 100 servers.
 *
 * Kiln runs embedded in this process (SQLite, database-backed queue, 4 consumers) with the
 * real /agent gateway on a real HTTP server; the 100 agents are KilnAgent instances in this
 * same process, each with its own WebSocket connection and state directory, running their
 * scripts as real detached processes. So agents and Kiln share this process's CPU.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { Server } from "socket.io";
import { KilnAgent } from "../agent/agent";
import { agentBackend } from "../agents/agentBackend";
import { attachAgentGateway } from "../agents/agentGateway";
import { StoredAgentPresence } from "../agents/agentPresence";
import { createRuntime } from "../services/runtime";
import { openDatabase } from "../store/database";
import { timed } from "./stackTiming";

type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const AGENTS = 100;
const LATENCY_SAMPLES = 300;
/** os-collect-config's default --polling-interval. */
const OCC_POLLING_S = 30;
const P = "bench";

export async function benchAgents(report: Report) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-agents-"));
  const log = pino({ level: "warn" });
  const db = await openDatabase(`file:${path.join(dir, "kiln.db")}`);
  const server = http.createServer();
  let url = "";
  const rt = createRuntime(db, log, { publicUrl: () => url });
  rt.queue.start(4);
  const io = new Server(server, { path: "/socket.io", serveClient: false });
  const gateway = attachAgentGateway(io, { backend: agentBackend(rt), changes: rt.serverMetadata, presence: new StoredAgentPresence(db), notifier: rt.notifier, log, db });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agents: KilnAgent[] = [];
  try {
    let template = "heat_template_version: 2018-08-31\nresources:\n";
    for (let i = 0; i < AGENTS; i++) template += `  s${i}: { type: OS::Heat::DeployedServer }\n`;
    await timed(rt, "servers", "CREATE", () => rt.engine.createStack({ projectId: P, name: "servers", template }));
    const stack = (await rt.store.findStackByName(P, "servers"))!;
    const rows = (await rt.store.listResources(stack.id)).sort((a, b) => Number(a.name.slice(1)) - Number(b.name.slice(1)));
    const quiet = () => {};
    for (const row of rows) {
      const agent = new KilnAgent(
        { url, serverId: row.physicalId!, credential: String(row.data.credential), places: { stateDir: path.join(dir, row.name), hooksDirs: [], env: { PATH: process.env.PATH } } },
        quiet,
      );
      const first = agent.nextMetadata();
      agents.push(agent.start());
      await first;
    }

    // Latency: from the engine's changed() (the new stamp committed) to the agent's handler.
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const agent = agents[i % AGENTS]!;
      const serverId = rows[i % AGENTS]!.physicalId!;
      await rt.software.touchServer(serverId, P, Date.now());
      const received = agent.nextMetadata();
      const t0 = performance.now();
      rt.serverMetadata.changed(serverId);
      await received;
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    report("agent_metadata_latency_p50", pct(50), "ms", { samples: LATENCY_SAMPLES, agents: AGENTS, transport: "websocket", target: "p99 < 50" });
    report("agent_metadata_latency_p99", pct(99), "ms", { samples: LATENCY_SAMPLES, agents: AGENTS, transport: "websocket", target: "< 50" });
    // The real chain (os-collect-config) polls: a change waits for the next poll, uniformly
    // 0..interval, so mean interval/2 and p99 0.99 × interval. Computed, not waited for.
    report("os_collect_config_metadata_latency_mean", (OCC_POLLING_S * 1000) / 2, "ms", { computed: true, polling_interval_s: OCC_POLLING_S, p99_ms: OCC_POLLING_S * 990, versus: "agent_metadata_latency_p99" });

    // Makespan: one deployment group (script `true`) to every server, create to CREATE_COMPLETE.
    let group = `heat_template_version: 2018-08-31
resources:
  config:
    type: OS::Heat::SoftwareConfig
    properties: { group: script, config: "#!/bin/sh\\ntrue\\n" }
  deploy:
    type: OS::Heat::SoftwareDeploymentGroup
    properties:
      config: { get_resource: config }
      servers:
`;
    for (const row of rows) group += `        ${row.name}: ${row.physicalId}\n`;
    const ms = await timed(rt, "deploy", "CREATE", () => rt.engine.createStack({ projectId: P, name: "deploy", template: group }));
    report("deployment_to_100_agents_makespan", ms, "ms", { agents: AGENTS, script: "true", agents_are: "in-process clients, one WebSocket each" });
  } finally {
    for (const agent of agents) agent.stop();
    gateway.close();
    io.close();
    server.close();
    await rt.queue.stop();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
