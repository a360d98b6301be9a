/**
 * `kiln cloud show|set|unset`: the OpenStack credentials of the project the command acts in.
 * `set` takes a clouds.yaml entry (--os-cloud), an openrc's OS_* variables (--from-env), or
 * the openstack client's --os-* flags, which also override single fields of either.
 */
import fs from "node:fs";
import { opt, type CommandSpec, type OptionSpec } from "../args";
import { EXIT, UsageError } from "../exit";
import { fieldTable, printJson, shortTime } from "../output";
import { AUTH_FIELDS, CloudEntryInvalid, ENTRY_SETTINGS, entryFromVariables, entryFromYaml, type CloudEntry } from "../../clouds/cloudsYamlEntry";
import { cloudsYamlPaths } from "../../clouds/credentials";
import { confirmed, flags, server, serverFlags, yes, type CliContext } from "./context";

const flagOf = (field: string) => `os-${field.replace(/_/g, "-")}`;
/** What each field is, for help; the rest say it by their name. */
const HELP: Record<string, string> = {
  auth_url: "Keystone's URL, e.g. https://keystone.example.com:5000/v3",
  password: "The user's password (else asked without echo; a flag is seen in the process list)",
  application_credential_secret: "The application credential's secret (else asked without echo)",
  domain_name: "Domain of both the user and the project, when they share one",
  domain_id: "Domain id of both the user and the project",
  region_name: "Region whose endpoints to use (default: any)",
  interface: "Endpoints to use: public (default), internal or admin",
  auth_type: "password (default) or v3applicationcredential",
};
const fieldFlags: Record<string, OptionSpec> = Object.fromEntries(
  [...AUTH_FIELDS, ...ENTRY_SETTINGS].map((f) => [flagOf(f), { type: "string", value: f.toUpperCase(), help: HELP[f] ?? `clouds.yaml's ${f}` }]),
);

/** The named cloud of the first clouds.yaml found where openstacksdk looks. */
function entryOfCloud(ctx: CliContext, name: string): CloudEntry {
  const paths = cloudsYamlPaths(ctx.io.env, ctx.io.cwd);
  const file = paths.find((p) => fs.existsSync(p));
  if (!file) throw new UsageError(`--os-cloud ${name}: there is no clouds.yaml (looked at ${paths.join(", ")})`);
  try {
    return entryFromYaml(fs.readFileSync(file, "utf8"), name);
  } catch (e) {
    if (e instanceof CloudEntryInvalid) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

export const cloudShow: CommandSpec<CliContext> = {
  words: ["cloud", "show"],
  summary: "Show the OpenStack credentials of the project (never the secret)",
  positionals: [],
  options: { ...serverFlags, json: flags.json },
  async run(ctx, { values }) {
    const s = server(ctx, values);
    const shown = await s.call(s.api.cloud.show.query());
    if (values.json) printJson(ctx.io, shown);
    else if (!shown.own) ctx.io.out(`The project has no credentials of its own; its stacks act in ${shown.serverCloud ? `the server's cloud: ${shown.serverCloud}` : "no cloud"}`);
    else {
      const o = shown.own;
      ctx.io.out(
        fieldTable([
          ["auth_url", o.authUrl],
          ["auth_type", o.authType],
          ...(o.user ? [["user", o.userDomain ? `${o.user} (domain ${o.userDomain})` : o.user] as [string, string]] : []),
          ...(o.project ? [["project", o.projectDomain ? `${o.project} (domain ${o.projectDomain})` : o.project] as [string, string]] : []),
          ...(o.applicationCredential ? [["application_credential", o.applicationCredential] as [string, string]] : []),
          ["region_name", o.region ?? "None"],
          ["interface", o.interface],
          ["secret", o.secret],
          ["updated_at", shortTime(o.updatedAt)],
        ]),
      );
    }
    return EXIT.ok;
  },
};

export const cloudSet: CommandSpec<CliContext> = {
  words: ["cloud", "set"],
  summary: "Give the project OpenStack credentials, checked with Keystone first (members)",
  positionals: [],
  options: {
    ...serverFlags,
    "os-cloud": { type: "string", value: "NAME", help: "Take the cloud NAME of clouds.yaml ($OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/, /etc/openstack/)" },
    "from-env": { type: "boolean", help: "Take the OS_* variables of a sourced openrc" },
    ...fieldFlags,
    json: flags.json,
  },
  async run(ctx, { values }) {
    const cloud = opt.str(values, "os-cloud");
    if (cloud && values["from-env"]) throw new UsageError("give --os-cloud or --from-env, not both");
    const entry: CloudEntry = cloud ? entryOfCloud(ctx, cloud) : values["from-env"] ? entryFromVariables(ctx.io.env) : { auth: {} };
    for (const f of AUTH_FIELDS) if (opt.str(values, flagOf(f)) !== undefined) entry.auth[f] = opt.str(values, flagOf(f))!;
    for (const f of ENTRY_SETTINGS) if (opt.str(values, flagOf(f)) !== undefined) entry[f] = opt.str(values, flagOf(f));
    if (!entry.auth.auth_url) throw new UsageError("kiln cloud set needs an auth URL: --os-cloud NAME, --from-env (OS_AUTH_URL), or --os-auth-url");
    const appCredential = entry.auth_type === "v3applicationcredential" || entry.auth.application_credential_id !== undefined || entry.auth.application_credential_name !== undefined;
    const secret = appCredential ? "application_credential_secret" : "password";
    if (entry.auth[secret] === undefined) {
      if (!ctx.io.interactive) throw new UsageError(`kiln cloud set needs the ${secret.replace(/_/g, " ")} (--${flagOf(secret)}) when it cannot ask`);
      entry.auth[secret] = await ctx.io.ask(`${appCredential ? "Application credential secret" : `Password of ${entry.auth.username ?? entry.auth.user_id ?? "the user"}`}: `, { secret: true });
    }
    const s = server(ctx, values);
    const saved = await s.call(s.api.cloud.set.mutate({ entry }));
    if (values.json) printJson(ctx.io, saved);
    else ctx.io.out(`Keystone accepted the credentials (OpenStack project ${saved.openstackProjectId}); the project's new work acts in ${saved.authUrl}${saved.region ? ` (${saved.region})` : ""}`);
    return EXIT.ok;
  },
};

export const cloudUnset: CommandSpec<CliContext> = {
  words: ["cloud", "unset"],
  summary: "Remove the project's OpenStack credentials: it acts in the server's cloud again (members)",
  positionals: [],
  options: { ...serverFlags, yes },
  async run(ctx, { values }) {
    if (!(await confirmed(ctx, values, "Remove the project's OpenStack credentials?"))) return EXIT.failed;
    const s = server(ctx, values);
    const { removed } = await s.call(s.api.cloud.unset.mutate());
    ctx.io.out(removed ? "Removed the project's OpenStack credentials" : "The project had no credentials of its own");
    return EXIT.ok;
  },
};
