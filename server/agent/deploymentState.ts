/**
 * What the agent remembers of each deployment, durably, in its state directory: one folder per
 * metadata entry id, holding small files written atomically (write, fsync, rename). The files
 * are the agent's whole memory, so a restarted agent knows exactly what it started, what
 * finished, and which signals Kiln has not yet acknowledged:
 *
 *   entry.json     the metadata entry as received (also the hook's stdin)
 *   started.json   written before anything runs: from then on the entry is never run again
 *   pid            the detached wrapper's pid (written by the wrapper itself)
 *   stdout/stderr  what the run printed
 *   exit           its exit code (written by the wrapper when the run ends)
 *   result.json    the signal body (heat-config-notify's JSON), once collected
 *   signalled      Kiln acknowledged the signal (or nothing is to be signalled)
 *   logged.json    how far stdout/stderr have been streamed to Kiln
 */
import fs from "node:fs";
import path from "node:path";

export interface StartedRecord {
  at: string;
  /** The kernel's boot id when it started: after a reboot its process cannot be running. */
  bootId: string;
  /** The deployment id the signal goes to. */
  deploymentId: string;
  /** False for NO_SIGNAL deployments. */
  signal: boolean;
}

export interface SignalRecord {
  deploymentId: string;
  body: Record<string, unknown>;
}

export type LogOffsets = { stdout: number; stderr: number };

export class DeploymentState {
  readonly dir: string;

  constructor(root: string, readonly entryId: string) {
    this.dir = path.join(root, "deployments", safeName(entryId));
  }

  file(name: string) {
    return path.join(this.dir, name);
  }

  started(): StartedRecord | undefined {
    return readJson<StartedRecord>(this.file("started.json"));
  }

  /**
   * Records the start durably; false when it was started already. Exclusive even between two
   * agents wrongly sharing a state directory: started.json is created by link(2), which fails
   * when the file exists, so only one of them ever runs the entry.
   */
  markStarted(entry: unknown, record: StartedRecord): boolean {
    if (this.started()) return false;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeAtomic(this.file("entry.json"), JSON.stringify(entry));
    const mine = this.file(`started.${process.pid}.${Date.now()}`);
    writeAtomic(mine, JSON.stringify(record));
    try {
      fs.linkSync(mine, this.file("started.json"));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    } finally {
      fs.rmSync(mine, { force: true });
      syncDir(this.dir);
    }
  }

  readEntry(): string {
    return readText(this.file("entry.json")) ?? "{}";
  }

  pid(): number | undefined {
    const text = readText(this.file("pid"));
    const pid = text ? Number.parseInt(text, 10) : NaN;
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  exitCode(): number | undefined {
    const text = readText(this.file("exit"));
    if (text === undefined || text.trim() === "") return undefined;
    const code = Number.parseInt(text, 10);
    return Number.isInteger(code) ? code : undefined;
  }

  result(): SignalRecord | undefined {
    return readJson<SignalRecord>(this.file("result.json"));
  }

  saveResult(result: SignalRecord) {
    writeAtomic(this.file("result.json"), JSON.stringify(result));
  }

  signalled(): boolean {
    return fs.existsSync(this.file("signalled"));
  }

  /** Kiln acknowledged the signal (or refused it for good, or none was due): never sent again. */
  markSignalled(note: string) {
    writeAtomic(this.file("signalled"), note);
  }

  logOffsets(): LogOffsets {
    return readJson<LogOffsets>(this.file("logged.json")) ?? { stdout: 0, stderr: 0 };
  }

  saveLogOffsets(offsets: LogOffsets) {
    writeAtomic(this.file("logged.json"), JSON.stringify(offsets));
  }

  readOutput(stream: "stdout" | "stderr"): string {
    return readText(this.file(stream)) ?? "";
  }
}

/** Every entry this state directory has seen, oldest start first. */
export function knownEntries(root: string): DeploymentState[] {
  const dir = path.join(root, "deployments");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => {
      const entry = readJson<{ id: string }>(path.join(dir, name, "entry.json"));
      return entry ? new DeploymentState(root, String(entry.id)) : undefined;
    })
    .filter((s): s is DeploymentState => !!s?.started())
    .sort((a, b) => a.started()!.at.localeCompare(b.started()!.at));
}

/** An entry id as a file name: ids are uuids, but metadata is input, so anything else is encoded. */
function safeName(id: string): string {
  return /^[A-Za-z0-9._-]{1,128}$/.test(id) && id !== "." && id !== ".." ? id : `_${Buffer.from(id).toString("base64url").slice(0, 200)}`;
}

/** Write, flush to disk, rename: a reader (or a restarted agent) sees the old file or the whole new one. */
export function writeAtomic(file: string, content: string) {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** A rename or link lasts a crash only once its directory is flushed too. */
function syncDir(dir: string) {
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** This boot of the machine ("" where the kernel does not say). */
export function bootId(): string {
  return readText("/proc/sys/kernel/random/boot_id")?.trim() ?? "";
}
