/** `kiln --help`, and help for a group of commands or one command. */
import { flagName, usageLine, type CommandSpec } from "./args";

const EXIT_CODES = `Exit codes:
  0  success
  1  the operation failed, the stack ended FAILED (or rolled back), the template is
     invalid, or a file it needs cannot be read
  2  usage error: unknown command or flag, missing or extra argument
  3  the server cannot be reached, answered with an error, or you are not signed in`;

const ENVIRONMENT = `Environment:
  KILN_URL       the Kiln server, when --url is not given (default http://localhost:3000)
  KILN_TOKEN     a session token, when --token is not given
  KILN_USERNAME  with KILN_PASSWORD: sign in for each command (as openstack's OS_USERNAME)
  KILN_PASSWORD
  KILN_USER_DOMAIN_NAME  the user's Keystone domain, when Kiln uses Keystone (as OS_USER_DOMAIN_NAME)
  KILN_PROJECT   the project to act in, when --project is not given
Without any of them, commands use the token kiln login kept for the server.
kiln agent reads its own: KILN_AGENT_URL, KILN_AGENT_SERVER, KILN_AGENT_CREDENTIAL (or
KILN_AGENT_CREDENTIAL_FILE), KILN_AGENT_STATE_DIR, KILN_AGENT_HOOKS_DIR (see kiln agent --help).`;

export function helpText(commands: CommandSpec<unknown>[], words: string[]): string {
  const command = commands.find((c) => c.words.join(" ") === words.join(" "));
  if (command) return commandHelp(command);
  const matching = commands.filter((c) => words.every((w, i) => c.words[i] === w));
  const listed = matching.length ? matching : commands;
  const width = Math.max(...listed.map((c) => c.words.join(" ").length));
  const lines = listed.map((c) => `  kiln ${c.words.join(" ").padEnd(width)}  ${c.summary}`);
  const head = words.length && matching.length ? `Commands of kiln ${words.join(" ")}:` : "kiln: the Kiln command-line client (OpenStack Heat's `openstack stack`, for Kiln)\n\nCommands:";
  return [head, ...lines, "", "Run kiln COMMAND --help for a command's flags.", "", EXIT_CODES, "", ENVIRONMENT].join("\n");
}

function commandHelp(c: CommandSpec<unknown>): string {
  const entries = Object.entries(c.options).map(([k, o]) => [`${flagName(k, o)}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`, `${o.help}${o.required ? " (required)" : ""}`]);
  entries.push(["-h/--help", "Show this help"]);
  const width = Math.max(...entries.map(([f]) => f.length));
  return [`Usage: kiln ${usageLine(c)}`, "", c.summary, "", "Options:", ...entries.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`), "", EXIT_CODES].join("\n");
}
