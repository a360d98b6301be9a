/** What a command may touch of the outside world; tests pass a recording one. */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

export interface Io {
  /** A line (or lines) of the command's output. */
  out(text: string): void;
  /** Diagnostics, progress next to JSON output, and errors. */
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Asks a yes/no question; only called when `interactive`. */
  confirm(question: string): Promise<boolean>;
  /** Asks for a line of text; with `secret`, what is typed is not shown. Only called when `interactive`. */
  ask(question: string, opts?: { secret?: boolean }): Promise<string>;
  interactive: boolean;
}

export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    interactive: !!process.stdin.isTTY,
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
    async ask(question, { secret = false } = {}) {
      // The prompt is written before the line is read; the typed characters' echo, while muted, is not.
      let muted = false;
      const output = new Writable({
        write(chunk, _encoding, done) {
          if (!muted) process.stderr.write(chunk);
          done();
        },
      });
      const rl = createInterface({ input: process.stdin, output, terminal: true });
      try {
        process.stderr.write(question);
        muted = secret;
        return (await rl.question("")).trim();
      } finally {
        muted = false;
        rl.close();
        if (secret) process.stderr.write("\n");
      }
    },
  };
}

/** An Io that records what was printed, for tests. */
export function memoryIo(over: Partial<Io> = {}): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(...t.split("\n")),
    err: (t) => void stderr.push(...t.split("\n")),
    env: {},
    cwd: process.cwd(),
    interactive: false,
    confirm: async () => false,
    ask: async () => "",
    ...over,
  };
}
