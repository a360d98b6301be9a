/** What every command receives, the flags several share, and the connection to a server. */
import { opt, type OptionSpec, type OptionValues } from "../args";
import { call, connect, serverUrl, type KilnClient } from "../client";
import type { Io } from "../io";
import { credentialsFor, signOut, type CommandCredentials } from "../session";

export interface CliContext {
  io: Io;
  /** Run when the command has finished, whatever happened (closing a session opened for it). */
  atExit: (() => Promise<void>)[];
}

export const flags = {
  url: { type: "string", value: "URL", help: "Kiln server (default: $KILN_URL, else http://localhost:3000)" },
  token: { type: "string", value: "TOKEN", help: "Session token (default: $KILN_TOKEN, else a session of $KILN_USERNAME and $KILN_PASSWORD, else the one kiln login saved)" },
  project: { type: "string", value: "PROJECT", help: "Project to act in (default: $KILN_PROJECT, else your first)" },
  json: { type: "boolean", help: "Print JSON only, for scripts" },
  template: { type: "string", short: "t", value: "FILE", required: true, help: "Template file; the files it refers to are sent too" },
  environment: { type: "string", short: "e", value: "FILE", multiple: true, help: "Environment file, repeatable; later ones win" },
  parameter: { type: "string", value: "KEY=VALUE", multiple: true, help: "Parameter value, repeatable (or KEY=VALUE;KEY2=VALUE2)" },
  parameterFile: { type: "string", value: "KEY=FILE", multiple: true, help: "Parameter whose value is the content of FILE, repeatable" },
  wait: { type: "boolean", help: "Follow the operation's events live until the stack finishes" },
  debug: { type: "boolean", help: "With --wait: also show debug messages (why a resource is replaced, deployments' live output)" },
} satisfies Record<string, OptionSpec>;

/** The flags of every command that talks to a server. */
export const serverFlags = { url: flags.url, token: flags.token, project: flags.project } satisfies Record<string, OptionSpec>;

/** The flags of commands that send a template. */
export const templateFlags = {
  template: flags.template,
  environment: flags.environment,
  parameter: flags.parameter,
  "parameter-file": flags.parameterFile,
} satisfies Record<string, OptionSpec>;

export interface Server {
  url: string;
  api: KilnClient;
  /** The token and project every request sends (found, or signed in for, at the first request). */
  auth(): Promise<{ token: string; project: string | undefined }>;
  /** Awaits an API call, turning its failure into a CliFailure. */
  call<T>(request: Promise<T>): Promise<T>;
}

export function server(ctx: CliContext, values: OptionValues): Server {
  const url = serverUrl(typeof values.url === "string" ? values.url : undefined, ctx.io.env);
  const project = (typeof values.project === "string" ? values.project : undefined) ?? (ctx.io.env.KILN_PROJECT || undefined);
  let credentials: Promise<CommandCredentials> | undefined;
  const auth = async () => {
    credentials ??= credentialsFor(url, typeof values.token === "string" ? values.token : undefined, ctx.io.env).then((c) => {
      if (c.ephemeral) ctx.atExit.push(() => signOut(url, c.token));
      return c;
    });
    return { token: (await credentials).token, project };
  };
  return { url, api: connect(url, auth), auth, call: (request) => call(url, request) };
}

/** `--yes`, for commands that ask before an irreversible change. */
export const yes = { type: "boolean", short: "y", help: "Do not ask for confirmation (never asked when stdin is not a terminal)" } as const satisfies OptionSpec;

/** Asks before an irreversible change, unless --yes or nobody is there to ask. */
export async function confirmed(ctx: CliContext, values: OptionValues, question: string): Promise<boolean> {
  if (opt.flag(values, "yes") || !ctx.io.interactive || (await ctx.io.confirm(question))) return true;
  ctx.io.err("kiln: nothing changed");
  return false;
}
