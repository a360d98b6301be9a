import { isIP } from "node:net";
import { error, warning, type Diagnostic } from "../diagnostics";
import { matches, PatternTooSlow } from "../userPattern";
import { joinPath } from "./positions";
import { heatJson, heatString, isMapping } from "./values";

export type ParameterType = "string" | "number" | "json" | "comma_delimited_list" | "boolean";

export type Constraint =
  | { kind: "length" | "range"; min?: number; max?: number; description?: string }
  | { kind: "modulo"; step: number; offset: number; description?: string }
  | { kind: "allowed_values"; values: unknown[]; description?: string }
  | { kind: "allowed_pattern"; pattern: string; description?: string }
  | { kind: "custom_constraint"; name: string; description?: string };

const APPLIES: Record<Constraint["kind"], ParameterType[]> = {
  length: ["string", "comma_delimited_list", "json"],
  range: ["number"],
  modulo: ["number"],
  allowed_values: ["string", "number", "comma_delimited_list", "boolean"],
  allowed_pattern: ["string"],
  custom_constraint: ["string", "number", "json", "comma_delimited_list", "boolean"],
};

const KIND_LABEL: Record<Constraint["kind"], string> = {
  length: "Length", range: "Range", modulo: "Modulo", allowed_values: "AllowedValues", allowed_pattern: "AllowedPattern", custom_constraint: "CustomConstraint",
};

// Custom constraints Kiln can check without a cloud.
const LOCAL_CUSTOM: Record<string, (v: string) => string | undefined> = {
  ip_addr: (v) => (isIP(v) ? undefined : `"${v}" is not a valid IP address`),
  net_cidr: (v) => {
    const [addr, bits, extra] = v.split("/");
    const family = isIP(addr ?? "");
    const n = Number(bits);
    const ok = extra === undefined && family !== 0 && bits !== undefined && /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
    return ok ? undefined : `"${v}" is not a valid CIDR`;
  },
  mac_addr: (v) => (/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(v) ? undefined : `"${v}" is not a valid MAC address`),
  iso_8601: (v) => (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? undefined : `"${v}" is not a valid ISO 8601 date`),
};

// Heat's other custom constraints need the cloud (does this image exist?); they are accepted unchecked.
const CLOUD_CUSTOM = new Set([
  "nova.flavor", "nova.host", "nova.keypair", "nova.server", "glance.image", "neutron.network", "neutron.port", "neutron.subnet",
  "neutron.router", "neutron.security_group", "neutron.qos_policy", "neutron.address_scope", "neutron.subnetpool", "neutron.segment",
  "neutron.lbaas.loadbalancer", "neutron.lbaas.listener", "neutron.lbaas.pool", "neutron.lbaas.provider", "neutron.flow_classifier",
  "neutron.port_pair", "neutron.port_pair_group", "neutron.taas.tap_service", "neutron.taas.tap_flow", "cinder.volume", "cinder.snapshot",
  "cinder.backup", "cinder.vtype", "cinder.qos_specs", "keystone.domain", "keystone.group", "keystone.project", "keystone.role",
  "keystone.service", "keystone.user", "keystone.region", "sahara.image", "sahara.plugin", "sahara.cluster", "sahara.cluster_template",
  "sahara.job_type", "sahara.job_binary", "sahara.data_source", "manila.share_network", "manila.share_type", "manila.share_snapshot",
  "manila.share", "monasca.notification", "designate.zone", "designate.domain", "trove.flavor", "magnum.cluster_template",
  "octavia.listener", "octavia.loadbalancer", "octavia.l7policy", "octavia.pool", "octavia.flavor", "octavia.flavorprofile",
  "barbican.secret", "barbican.container", "blazar.reservation", "mistral.workflow", "senlin.cluster", "senlin.policy",
  "senlin.policy_type", "senlin.profile", "senlin.profile_type", "zaqar.queue", "dns_name", "dns_domain", "rel_dns_name",
  "timezone", "cron_expression", "expiration", "test_constr",
]);

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);

/** Reads one parameter's `constraints` list, reporting malformed or misapplied entries. */
export function parseConstraints(raw: unknown, type: ParameterType, path: string): { constraints: Constraint[]; diagnostics: Diagnostic[] } {
  const constraints: Constraint[] = [];
  const diagnostics: Diagnostic[] = [];
  if (raw === undefined || raw === null) return { constraints, diagnostics };
  if (!Array.isArray(raw)) return { constraints, diagnostics: [error(path, "constraints must be a list")] };
  raw.forEach((entry, i) => {
    const at = joinPath(path, i);
    if (!isMapping(entry)) return diagnostics.push(error(at, "each constraint must be a map"));
    const { description, ...rest } = entry;
    const kinds = Object.keys(rest);
    if (kinds.length !== 1 || !(kinds[0] in APPLIES)) {
      return diagnostics.push(error(at, `a constraint must have exactly one of ${Object.keys(APPLIES).join(", ")} (and an optional description), found: ${kinds.join(", ") || "none"}`));
    }
    const kind = kinds[0] as Constraint["kind"];
    const body = rest[kind];
    const kat = joinPath(at, kind);
    if (description !== undefined && typeof description !== "string") diagnostics.push(error(joinPath(at, "description"), "a constraint's description must be a string"));
    const desc = typeof description === "string" ? { description } : {};
    if (!APPLIES[kind].includes(type)) return diagnostics.push(error(kat, `${KIND_LABEL[kind]} constraint invalid for ${type}`));
    switch (kind) {
      case "length":
      case "range": {
        if (!isMapping(body)) return diagnostics.push(error(kat, `${kind} must be a map with min and/or max`));
        const extra = Object.keys(body).filter((k) => k !== "min" && k !== "max");
        const min = body.min === undefined ? undefined : num(body.min);
        const max = body.max === undefined ? undefined : num(body.max);
        if (extra.length > 0) return diagnostics.push(error(kat, `${kind} accepts only min and max, not ${extra.join(", ")}`));
        if ((body.min !== undefined && min === undefined) || (body.max !== undefined && max === undefined)) return diagnostics.push(error(kat, `${kind} min and max must be numbers`));
        if (min === undefined && max === undefined) return diagnostics.push(error(kat, `${kind} needs a min or a max`));
        return constraints.push({ kind, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...desc });
      }
      case "modulo": {
        const step = isMapping(body) ? num(body.step) : undefined;
        const offset = isMapping(body) ? num(body.offset) : undefined;
        if (step === undefined || offset === undefined) return diagnostics.push(error(kat, "modulo needs both step and offset, as numbers"));
        if (step === 0) return diagnostics.push(error(kat, "modulo step cannot be 0"));
        if (Math.abs(offset) >= Math.abs(step)) return diagnostics.push(error(kat, "modulo offset must be smaller (in absolute value) than step"));
        if (offset !== 0 && Math.sign(offset) !== Math.sign(step)) return diagnostics.push(error(kat, "modulo step and offset must be both positive or both negative"));
        return constraints.push({ kind, step, offset, ...desc });
      }
      case "allowed_values":
        if (!Array.isArray(body)) return diagnostics.push(error(kat, "allowed_values must be a list"));
        return constraints.push({ kind, values: body, ...desc });
      case "allowed_pattern":
        if (typeof body !== "string") return diagnostics.push(error(kat, "allowed_pattern must be a string"));
        try {
          new RegExp(body);
        } catch {
          return diagnostics.push(error(kat, `allowed_pattern "${body}" is not a valid regular expression`));
        }
        return constraints.push({ kind, pattern: body, ...desc });
      case "custom_constraint":
        if (typeof body !== "string") return diagnostics.push(error(kat, "custom_constraint must be the name of a constraint"));
        if (!(body in LOCAL_CUSTOM) && !CLOUD_CUSTOM.has(body)) diagnostics.push(warning(kat, `unknown custom constraint "${body}"; values are not checked against it`));
        return constraints.push({ kind, name: body, ...desc });
    }
  });
  return { constraints, diagnostics };
}

const fmt = (n: number) => String(n);

function rangeMessage(what: "length" | "value", min?: number, max?: number): string {
  const subject = what === "length" ? "The length" : "The value";
  if (min !== undefined && max !== undefined) return `${subject} must be in the range ${fmt(min)} to ${fmt(max)}.`;
  if (min !== undefined) return `${subject} must be at least ${fmt(min)}.`;
  return `${subject} must be no greater than ${fmt(max as number)}.`;
}

const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : heatJson(v));

/** Every constraint a (coerced) value breaks, each as a message; a constraint's description replaces its message. */
export function violations(value: unknown, type: ParameterType, constraints: Constraint[]): string[] {
  const out: string[] = [];
  for (const c of constraints) {
    const message = check(value, type, c);
    if (message !== undefined) out.push(c.description ?? message);
  }
  return out;
}

function check(value: unknown, type: ParameterType, c: Constraint): string | undefined {
  switch (c.kind) {
    case "length": {
      const length = typeof value === "string" || Array.isArray(value) ? value.length : isMapping(value) ? Object.keys(value).length : undefined;
      if (length === undefined) return undefined;
      return (c.min !== undefined && length < c.min) || (c.max !== undefined && length > c.max) ? rangeMessage("length", c.min, c.max) : undefined;
    }
    case "range":
      if (typeof value !== "number") return undefined;
      return (c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max) ? rangeMessage("value", c.min, c.max) : undefined;
    case "modulo": {
      if (typeof value !== "number") return undefined;
      const rem = value % c.step;
      const normalized = rem !== 0 && Math.sign(rem) !== Math.sign(c.step) ? rem + c.step : rem;
      return normalized === c.offset ? undefined : `The value must be a multiple of ${fmt(c.step)} with an offset of ${fmt(c.offset)}.`;
    }
    case "allowed_values": {
      const allowed = c.values.map((v) => (type === "number" ? num(v) ?? v : type === "boolean" ? v : heatString(v)));
      const items = type === "comma_delimited_list" && Array.isArray(value) ? value : [value];
      const bad = items.filter((item) => !allowed.some((a) => a === item || (type === "boolean" && String(a).toLowerCase() === String(item).toLowerCase())));
      return bad.length > 0 ? `${bad.map(show).join(", ")} ${bad.length > 1 ? "are not allowed values" : "is not an allowed value"} ${heatJson(c.values)}` : undefined;
    }
    case "allowed_pattern": {
      if (typeof value !== "string") return undefined;
      try {
        return matches(new RegExp(`^(?:${c.pattern})$`, "s"), value) ? undefined : `"${value}" does not match pattern "${c.pattern}"`;
      } catch (e) {
        if (e instanceof PatternTooSlow) return e.message;
        throw e;
      }
    }
    case "custom_constraint": {
      const local = LOCAL_CUSTOM[c.name];
      if (!local) return undefined;
      const items = Array.isArray(value) ? value : [value];
      return items.map((v) => local(heatString(v))).find((m) => m !== undefined);
    }
  }
}
