import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeploymentState, writeAtomic } from "./deploymentState";
import { DeploymentRunner, trimmed, type KilnLink } from "./deploymentRunner";
import type { DeploymentEntry, SignalBody } from "./hooks";
import { heatAgentsDir } from "../testing/heatAgentsFixture";


/** Kiln's side of the connection, as the runner sees it: records what it is sent. */
class RecordingLink implements KilnLink {
  signals: { entryId: string; body: SignalBody }[] = [];
  logs: { entryId: string; stream: string; line: string; at: number }[] = [];
  answer: "ack" | "refused" | "retry" = "ack";
  online = true;
  connected() {
    return this.online;
  }
  async signal(entryId: string, body: SignalBody) {
    if (this.answer === "ack") this.signals.push({ entryId, body });
    return this.answer;
  }
  log(entryId: string, stream: string, lines: string[]) {
    for (const line of lines) this.logs.push({ entryId, stream, line, at: Date.now() });
    return true;
  }
}

let dir: string;
let link: RecordingLink;
let runner: DeploymentRunner;
const quiet = () => {};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-agent-"));
  link = new RecordingLink();
  runner = new DeploymentRunner({ stateDir: path.join(dir, "state"), hooksDirs: [path.join(dir, "hooks")], env: { PATH: process.env.PATH } }, link, quiet);
});
afterEach(() => {
  runner.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function scriptEntry(id: string, config: string, inputs: Record<string, unknown> = {}, outputs: string[] = []): DeploymentEntry {
  return {
    id,
    name: `config-${id}`,
    group: "script",
    config,
    inputs: Object.entries({ deploy_action: "CREATE", deploy_signal_transport: "CFN_SIGNAL", ...inputs }).map(([name, value]) => ({ name, value })),
    outputs: outputs.map((name) => ({ name })),
  };
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

describe("the script hook", () => {
  it("runs the config with inputs as environment variables and signals its outputs, status and output", async () => {
    const entry = scriptEntry(
      "a1",
      `#!/bin/sh\necho "hello $who"\necho warned >&2\nprintf '%s' "$who-$n" > "$heat_outputs_path.greeting"\nexit 0\n`,
      { who: "world", n: 3, structured: { a: [1] } },
      ["greeting", "missing"],
    );
    await runner.applyAll([entry]);
    await runner.flushOutbox();
    expect(link.signals).toEqual([
      { entryId: "a1", body: { greeting: "world-3", deploy_stdout: "hello world\n", deploy_stderr: "warned\n", deploy_status_code: 0 } },
    ]);
  });

  it("signals a failing script's status code and stderr", async () => {
    await runner.applyAll([scriptEntry("f1", "#!/bin/sh\necho broken >&2\nexit 3\n")]);
    await runner.flushOutbox();
    expect(link.signals[0]!.body).toMatchObject({ deploy_status_code: 3, deploy_stderr: "broken\n" });
  });

  it("applies an entry id once, however often the metadata lists it", async () => {
    const log = path.join(dir, "ran");
    const entry = scriptEntry("once", `#!/bin/sh\necho ran >> ${log}\n`);
    await runner.applyAll([entry]);
    await runner.applyAll([entry, entry]);
    const again = new DeploymentRunner({ stateDir: path.join(dir, "state"), hooksDirs: [], env: { PATH: process.env.PATH } }, link, quiet);
    await again.resumeUnfinished();
    await again.applyAll([entry]);
    expect(lines(log)).toEqual(["ran"]);
    expect(link.signals).toHaveLength(1);
  });

  it("does not start an entry that newer metadata dropped while an earlier one ran", async () => {
    const log = path.join(dir, "ran");
    const entries = [scriptEntry("e1", `#!/bin/sh\necho e1 >> ${log}\n`), scriptEntry("e2", `#!/bin/sh\necho e2 >> ${log}\n`)];
    let latest = entries.map((e) => e.id);
    link.signal = async (entryId) => {
      latest = ["e1"]; // e2's deployment moved on while e1 ran
      return entryId ? "ack" : "retry";
    };
    await runner.applyAll(entries, (id) => latest.includes(id));
    expect(lines(log)).toEqual(["e1"]);
  });

  it("does not signal a NO_SIGNAL deployment, but runs it", async () => {
    const log = path.join(dir, "ran");
    await runner.applyAll([scriptEntry("n1", `#!/bin/sh\necho ran >> ${log}\n`, { deploy_signal_transport: "NO_SIGNAL" })]);
    await runner.flushOutbox();
    expect(lines(log)).toEqual(["ran"]);
    expect(link.signals).toEqual([]);
  });

  it("streams stdout lines while the script still runs", async () => {
    const started = Date.now();
    await runner.applyAll([scriptEntry("l1", "#!/bin/sh\necho first\nsleep 1.5\necho second\n")]);
    const first = link.logs.find((l) => l.line === "first")!;
    const second = link.logs.find((l) => l.line === "second")!;
    expect(first.stream).toBe("stdout");
    expect(first.at - started).toBeLessThan(1000);
    expect(second.at - started).toBeGreaterThanOrEqual(1500);
  });
});

describe("signals", () => {
  it("sends an unacknowledged signal again, once Kiln takes it", async () => {
    link.answer = "retry";
    await runner.applyAll([scriptEntry("r1", "#!/bin/sh\necho out\n")]);
    await runner.flushOutbox();
    expect(link.signals).toEqual([]);
    link.answer = "ack";
    await runner.flushOutbox();
    await runner.flushOutbox();
    expect(link.signals.map((s) => s.entryId)).toEqual(["r1"]);
  });

  it("keeps a signal made while disconnected until the next connection, even across a restart", async () => {
    link.online = false;
    await runner.applyAll([scriptEntry("d1", "#!/bin/sh\necho out\n")]);
    expect(link.signals).toEqual([]);
    link.online = true;
    const restarted = new DeploymentRunner({ stateDir: path.join(dir, "state"), hooksDirs: [], env: {} }, link, quiet);
    await restarted.resumeUnfinished();
    await restarted.flushOutbox();
    expect(link.signals.map((s) => s.body.deploy_stdout)).toEqual(["out\n"]);
  });
});

describe("a large output", () => {
  it("is trimmed from its beginning until the signal fits one socket.io packet, multi-byte characters counted", () => {
    const body = trimmed({ deploy_stdout: "é".repeat(600_000) + "the end", deploy_stderr: "", deploy_status_code: 0, kept: "x" });
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(900_000);
    expect(String(body.deploy_stdout).endsWith("the end")).toBe(true);
    expect(body.kept).toBe("x");
  });
});

describe("other hooks", () => {
  it("json-file writes each file as heat-agents' hook does", async () => {
    const target = path.join(dir, "etc", "app.json");
    await runner.applyAll([{ id: "j1", group: "json-file", config: { [target]: { b: 1, a: ["é"] } }, inputs: [], outputs: [] }]);
    await runner.flushOutbox();
    expect(fs.readFileSync(target, "utf8")).toBe('{\n    "a": [\n        "\\u00e9"\n    ],\n    "b": 1\n}');
    expect(link.signals[0]!.body).toEqual({ deploy_stdout: "", deploy_stderr: "", deploy_status_code: 0 });
  });

  it("runs heat-agents' own script hook from the hooks directory, unchanged", async () => {
    fs.mkdirSync(path.join(dir, "hooks"));
    fs.symlinkSync(path.join(heatAgentsDir(), "hooks", "script"), path.join(dir, "hooks", "upstream-script"));
    const entry = { ...scriptEntry("h1", `#!/bin/sh\necho "hi $who"\nprintf done > "$heat_outputs_path.result"\n`, { who: "heat" }, ["result"]), group: "upstream-script" };
    await runner.applyAll([entry]);
    await runner.flushOutbox();
    expect(link.signals[0]!.body).toMatchObject({ result: "done", deploy_stdout: "hi heat\n", deploy_status_code: 0 });
  });

  it("signals a failure naming the missing hook for an unknown group", async () => {
    await runner.applyAll([{ ...scriptEntry("u1", "x"), group: "puppet" }]);
    await runner.flushOutbox();
    expect(link.signals[0]!.body).toMatchObject({ deploy_status_code: 1 });
    expect(String(link.signals[0]!.body.deploy_stderr)).toContain('No hook for group "puppet"');
  });
});

describe("an agent that dies mid-run", () => {
  it("leaves the script running; the next agent collects its result and never runs it again", async () => {
    const log = path.join(dir, "ran");
    const entry = scriptEntry("k1", `#!/bin/sh\necho start >> ${log}\nsleep 1\necho end >> ${log}\nprintf ok > "$heat_outputs_path.o"\n`, {}, ["o"]);
    // A first agent in its own process, offline, that is killed while the script sleeps.
    const code = `
      const { DeploymentRunner } = await import(${JSON.stringify(path.join(__dirname, "deploymentRunner.ts"))});
      const link = { connected: () => false, signal: async () => "retry", log: () => false };
      await new DeploymentRunner({ stateDir: ${JSON.stringify(path.join(dir, "state"))}, hooksDirs: [], env: { PATH: process.env.PATH } }, link, () => {}).applyAll([${JSON.stringify(entry)}]);`;
    const first = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "inherit", "inherit"] });
    await waitFor(() => lines(log).includes("start"));

    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(lines(log)).toEqual(["start"]);

    await runner.resumeUnfinished();
    await runner.applyAll([entry]);
    await runner.flushOutbox();
    expect(lines(log)).toEqual(["start", "end"]);
    expect(link.signals).toEqual([{ entryId: "k1", body: { o: "ok", deploy_stdout: "", deploy_stderr: "", deploy_status_code: 0 } }]);
  });

  it("reports a run whose process vanished without a result as failed, and does not run it again", async () => {
    const log = path.join(dir, "ran");
    const entry = scriptEntry("v1", `#!/bin/sh\necho ran >> ${log}\n`);
    const state = new DeploymentState(path.join(dir, "state"), "v1");
    state.markStarted(entry, { at: new Date().toISOString(), bootId: "an-earlier-boot", deploymentId: "v1", signal: true });
    writeAtomic(state.file("pid"), "999999");
    await runner.resumeUnfinished();
    await runner.applyAll([entry]);
    await runner.flushOutbox();
    expect(lines(log)).toEqual([]);
    expect(link.signals[0]!.body).toMatchObject({ deploy_status_code: 1 });
    expect(String(link.signals[0]!.body.deploy_stderr)).toContain("the machine restarted while it ran");
  });
});

describe("a run whose pid now belongs to another process", () => {
  it("is reported failed rather than waited for forever", async () => {
    const entry = scriptEntry("p1", "#!/bin/sh\ntrue\n");
    const state = new DeploymentState(path.join(dir, "state"), "p1");
    state.markStarted(entry, { at: new Date().toISOString(), bootId: "", deploymentId: "p1", signal: true });
    writeAtomic(state.file("pid"), String(process.pid)); // alive, but not the run's wrapper
    await runner.resumeUnfinished();
    await runner.flushOutbox();
    expect(link.signals[0]!.body).toMatchObject({ deploy_status_code: 1 });
    expect(String(link.signals[0]!.body.deploy_stderr)).toContain("ended without recording an exit code");
  });
});

async function waitFor(condition: () => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
