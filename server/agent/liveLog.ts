/**
 * Streams a running deployment's stdout and stderr to Kiln line by line while it runs, reading
 * the files the detached run writes. Bounded: at most MAX_LINES lines and MAX_BYTES bytes per
 * batch, a line longer than MAX_LINE_CHARS is cut with a note. While the agent is not
 * connected nothing is read, so nothing piles up; the stream resumes from where it was (the
 * offsets are kept in the state directory, so a restarted agent does not repeat lines either).
 */
import fs from "node:fs";
import { cutLine } from "../agents/deploymentLogLine";
import type { DeploymentState, LogOffsets } from "./deploymentState";

export const LOG_LIMITS = { maxLines: 200, maxBytes: 64 * 1024 } as const;
const TICK_MS = 150;

export type Stream = "stdout" | "stderr";
export type SendLines = (stream: Stream, lines: string[]) => boolean;

export class LiveLog {
  private offsets: LogOffsets;
  private timer: NodeJS.Timeout | undefined;

  /** `send` answers false when it could not send now (not connected): the lines are read again later. */
  constructor(
    private readonly state: DeploymentState,
    private readonly streams: Stream[],
    private readonly send: SendLines,
  ) {
    this.offsets = state.logOffsets();
  }

  start() {
    this.timer = setInterval(() => this.pump(false), TICK_MS);
    this.timer.unref();
  }

  /** The run has ended: sends what is left, a last line without its newline included. */
  finish() {
    clearInterval(this.timer);
    this.pump(true);
  }

  private pump(final: boolean) {
    for (const stream of this.streams) {
      // A final pump reads to the end of the file, batch after batch.
      for (let more = true; more; ) more = this.pumpOne(stream, final);
    }
  }

  /** Sends one batch; answers whether there may be more to send now. */
  private pumpOne(stream: Stream, final: boolean): boolean {
    const chunk = readFrom(this.state.file(stream), this.offsets[stream], LOG_LIMITS.maxBytes);
    if (!chunk.length) return false;
    const lines: string[] = [];
    let consumed = 0;
    while (lines.length < LOG_LIMITS.maxLines) {
      const newline = chunk.indexOf(0x0a, consumed);
      if (newline < 0) break;
      lines.push(chunk.subarray(consumed, newline).toString("utf8"));
      consumed = newline + 1;
    }
    // A full chunk with no newline is one very long line: send it cut rather than wait forever.
    if (!lines.length && (final || chunk.length === LOG_LIMITS.maxBytes)) {
      lines.push(chunk.toString("utf8"));
      consumed = chunk.length;
    }
    if (!lines.length) return false;
    if (!this.send(stream, lines.map(cutLine))) return false;
    this.offsets = { ...this.offsets, [stream]: this.offsets[stream] + consumed };
    this.state.saveLogOffsets(this.offsets);
    return true;
  }
}

function readFrom(file: string, offset: number, max: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buf = Buffer.alloc(max);
    const n = fs.readSync(fd, buf, 0, max, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
