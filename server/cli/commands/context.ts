/** What every command receives, the flags several share, and the connection to a server. */
import type { OptionSpec, OptionValues } from "../args";
import { call, connect, serverUrl, type KilnClient } from "../client";
import type { Io } from "../io";

export interface CliContext {
  io: Io;
}

export const flags = {
  url: { type: "string", value: "URL", help: "Kiln server (default: $KILN_URL, else http://localhost:3000)" },
  json: { type: "boolean", help: "Print JSON only, for scripts" },
  template: { type: "string", short: "t", value: "FILE", required: true, help: "Template file; the files it refers to are sent too" },
  environment: { type: "string", short: "e", value: "FILE", multiple: true, help: "Environment file, repeatable; later ones win" },
  parameter: { type: "string", value: "KEY=VALUE", multiple: true, help: "Parameter value, repeatable (or KEY=VALUE;KEY2=VALUE2)" },
  parameterFile: { type: "string", value: "KEY=FILE", multiple: true, help: "Parameter whose value is the content of FILE, repeatable" },
  wait: { type: "boolean", help: "Follow the operation's events live until the stack finishes" },
} satisfies Record<string, OptionSpec>;

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
  /** Awaits an API call, turning its failure into a CliFailure. */
  call<T>(request: Promise<T>): Promise<T>;
}

export function server(ctx: CliContext, values: OptionValues): Server {
  const url = serverUrl(typeof values.url === "string" ? values.url : undefined, ctx.io.env);
  return { url, api: connect(url), call: (request) => call(url, request) };
}
