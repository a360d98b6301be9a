/**
 * The behaviour of the OS::Neutron types. Neutron acts synchronously (an object exists, or is
 * gone, once its call answers), so these finish in their handler; nothing waits.
 *
 * Neutron (before 2023.1) takes no tags when creating, so what Kiln creates carries its mark in
 * the description where the type has no description property of its own, else in a name that
 * is the physical name (which holds the resource id): a create run again after a crash finds it.
 */
import type { CloudPort } from "../../ports";
import { done, ResourceFailure, sameValue, type Outcome, type ResourceContext, type ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { cloudHandler, deleteOrGone, fetchOrGone, markOf, neutronId } from "./cloudResource";
import * as types from "./neutronTypes";

type Obj = Record<string, unknown>;
type Props = Record<string, unknown>;

interface NeutronSpec {
  schema: ResourceTypeSchema;
  /** e.g. "networks" */
  collection: string;
  /** e.g. "network" */
  key: string;
  /** For messages: "Network" */
  entity: string;
  /** The request body from the properties (create: all; update: the changed ones are sent). */
  body(props: Props, cloud: CloudPort, ctx: ResourceContext): Promise<Obj>;
  /** Attributes from what Neutron shows. */
  attributes?(obj: Obj, cloud: CloudPort): Promise<Obj> | Obj;
  /** The type has its own description property: the mark goes in the physical name instead. */
  ownDescription?: boolean;
  /** After create and update (a security group's rules). */
  afterApply?(id: string, props: Props, previous: Props | undefined, cloud: CloudPort): Promise<void>;
}

const withValueSpecs = (props: Props, body: Obj): Obj => ({ ...((props.value_specs as Obj | undefined) ?? {}), ...body });
const defined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
const nameOf = (props: Props, ctx: ResourceContext) => (props.name as string | undefined) ?? ctx.physicalName();

/** Attribute values straight from the object, for the names the type declares. */
const declared = (schema: ResourceTypeSchema, obj: Obj): Obj => ({
  ...Object.fromEntries(Object.keys(schema.attributes).map((k) => [k, obj[k] ?? null])),
  show: obj,
});

async function setTags(cloud: CloudPort, collection: string, id: string, tags: unknown) {
  if (!Array.isArray(tags)) return;
  await cloud.call("network", "PUT", `/v2.0/${collection}/${id}/tags`, { body: { tags } });
}

/** The object Kiln created for this resource before a crash, if any. */
async function findMarked(spec: NeutronSpec, cloud: CloudPort, ctx: ResourceContext, props: Props): Promise<Obj | undefined> {
  const filter = spec.ownDescription
    ? props.name === undefined
      ? `name=${encodeURIComponent(ctx.physicalName())}`
      : undefined
    : `description=${encodeURIComponent(markOf(ctx))}`;
  if (!filter) return undefined;
  const answer = await cloud.call("network", "GET", `/v2.0/${spec.collection}?${filter}`);
  return ((answer.body as Record<string, Obj[]>)[spec.collection] ?? [])[0];
}

export function neutronPlugin(spec: NeutronSpec): ResourcePlugin {
  const finish = async (obj: Obj, cloud: CloudPort): Promise<Outcome> =>
    done({ physicalId: String(obj.id), attributes: spec.attributes ? { ...(await spec.attributes(obj, cloud)), show: obj } : declared(spec.schema, obj) });
  const show = (cloud: CloudPort, id: string) => fetchOrGone<Obj>(cloud, "network", `/v2.0/${spec.collection}/${id}`, spec.key);

  return {
    ...spec.schema,
    create: cloudHandler(async (ctx, cloud) => {
      const props = ctx.properties;
      let obj = (ctx.physicalId && (await show(cloud, ctx.physicalId))) || (await findMarked(spec, cloud, ctx, props));
      if (!obj) {
        const body = await spec.body(props, cloud, ctx);
        if (!spec.ownDescription) body.description = markOf(ctx);
        const answer = await cloud.call("network", "POST", `/v2.0/${spec.collection}`, { body: { [spec.key]: body } });
        obj = (answer.body as Record<string, Obj>)[spec.key]!;
      }
      await setTags(cloud, spec.collection, String(obj.id), props.tags);
      await spec.afterApply?.(String(obj.id), props, undefined, cloud);
      return finish((await show(cloud, String(obj.id))) ?? obj, cloud);
    }),
    update: cloudHandler(async (ctx, cloud) => {
      const id = ctx.physicalId!;
      // What differs between the requests the two definitions make is what is sent.
      const [before, after] = await Promise.all([spec.body(ctx.previousProperties, cloud, ctx), spec.body(ctx.properties, cloud, ctx)]);
      const sent: Obj = {};
      for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if (!sameValue(before[k], after[k])) sent[k] = after[k] ?? null;
      if (Object.keys(sent).length > 0) await cloud.call("network", "PUT", `/v2.0/${spec.collection}/${id}`, { body: { [spec.key]: sent } });
      const changed = { tags: !sameValue(ctx.properties.tags, ctx.previousProperties.tags) };
      if (changed.tags) await setTags(cloud, spec.collection, id, ctx.properties.tags ?? []);
      await spec.afterApply?.(id, ctx.properties, ctx.previousProperties, cloud);
      const obj = await show(cloud, id);
      if (!obj) throw new ResourceFailure(`The ${spec.entity} (${id}) could not be found.`, "NotFound");
      return finish(obj, cloud);
    }),
    delete: cloudHandler(async (ctx, cloud) => {
      if (ctx.physicalId) await deleteOrGone(cloud, "network", `/v2.0/${spec.collection}/${ctx.physicalId}`);
      else {
        // Never stored its id (a crash right after the cloud answered): find it by its mark.
        const obj = await findMarked(spec, cloud, ctx, ctx.properties);
        if (obj) await deleteOrGone(cloud, "network", `/v2.0/${spec.collection}/${String(obj.id)}`);
      }
      return done();
    }),
    check: cloudHandler(async (ctx, cloud) => {
      const obj = ctx.physicalId ? await show(cloud, ctx.physicalId) : undefined;
      if (!obj) throw new ResourceFailure(`The ${spec.entity} (${ctx.physicalId}) could not be found.`, "NotFound");
      if (obj.status === "ERROR") throw new ResourceFailure(`The ${spec.entity} (${ctx.physicalId}) is in status ERROR`, "ResourceInError");
      // Renamed out-of-band: the name is the one property Kiln compares (see README, drift).
      const named = "name" in spec.schema.properties && typeof obj.name === "string" && obj.name !== nameOf(ctx.properties, ctx);
      return { ...(await finish(obj, cloud)), ...(named ? { drift: [{ property: "name", applied: nameOf(ctx.properties, ctx), cloud: obj.name }] } : {}) };
    }),
  };
}

const ids = (cloud: CloudPort, collection: string, entity: string, values: unknown) =>
  Array.isArray(values) ? Promise.all(values.map((v) => neutronId(cloud, collection, entity, String(v)))) : Promise.resolve(undefined);

export const netPlugin = neutronPlugin({
  schema: types.neutronNet,
  collection: "networks",
  key: "network",
  entity: "Network",
  body: async (p, _c, ctx) =>
    defined(
      withValueSpecs(p, {
        name: nameOf(p, ctx),
        admin_state_up: p.admin_state_up,
        shared: p.shared,
        tenant_id: p.tenant_id,
        port_security_enabled: p.port_security_enabled,
        dns_domain: p.dns_domain,
      }),
    ),
});

export const subnetPlugin = neutronPlugin({
  schema: types.neutronSubnet,
  collection: "subnets",
  key: "subnet",
  entity: "Subnet",
  body: async (p, cloud, ctx) => {
    const gateway = p.gateway_ip === "" || p.gateway_ip === "~" ? null : p.gateway_ip;
    return {
      ...defined(
        withValueSpecs(p, {
          name: nameOf(p, ctx),
          network_id: p.network === undefined ? undefined : await neutronId(cloud, "networks", "Network", String(p.network)),
          subnetpool_id: p.subnetpool === undefined ? undefined : await neutronId(cloud, "subnetpools", "Subnetpool", String(p.subnetpool)),
          prefixlen: p.prefixlen,
          cidr: p.cidr,
          ip_version: p.ip_version,
          dns_nameservers: p.dns_nameservers,
          enable_dhcp: p.enable_dhcp,
          allocation_pools: p.allocation_pools,
          host_routes: p.host_routes,
          tenant_id: p.tenant_id,
          ipv6_ra_mode: p.ipv6_ra_mode,
          ipv6_address_mode: p.ipv6_address_mode,
        }),
      ),
      ...(gateway === null ? { gateway_ip: null } : gateway !== undefined ? { gateway_ip: gateway } : {}),
    };
  },
});

async function gatewayInfo(cloud: CloudPort, info: Obj | undefined) {
  if (!info) return undefined;
  const fixed = info.external_fixed_ips as Obj[] | undefined;
  return defined({
    network_id: await neutronId(cloud, "networks", "Network", String(info.network)),
    enable_snat: info.enable_snat,
    external_fixed_ips:
      fixed &&
      (await Promise.all(
        fixed.map(async (f) => defined({ ip_address: f.ip_address, subnet_id: f.subnet === undefined ? undefined : await neutronId(cloud, "subnets", "Subnet", String(f.subnet)) })),
      )),
  });
}

export const routerPlugin = neutronPlugin({
  schema: types.neutronRouter,
  collection: "routers",
  key: "router",
  entity: "Router",
  body: async (p, cloud, ctx) =>
    defined(
      withValueSpecs(p, {
        name: nameOf(p, ctx),
        admin_state_up: p.admin_state_up,
        external_gateway_info: await gatewayInfo(cloud, p.external_gateway_info as Obj | undefined),
        distributed: p.distributed,
        ha: p.ha,
      }),
    ),
});

export const portPlugin = neutronPlugin({
  schema: types.neutronPort,
  collection: "ports",
  key: "port",
  entity: "Port",
  body: async (p, cloud, ctx) => {
    const fixed = p.fixed_ips as Obj[] | undefined;
    return defined(
      withValueSpecs(p, {
        name: nameOf(p, ctx),
        network_id: p.network === undefined ? undefined : await neutronId(cloud, "networks", "Network", String(p.network)),
        device_id: p.device_id || undefined,
        device_owner: p.device_owner || undefined,
        fixed_ips: p.no_fixed_ips
          ? []
          : fixed &&
            (await Promise.all(
              fixed.map(async (f) => defined({ ip_address: f.ip_address, subnet_id: f.subnet === undefined ? undefined : await neutronId(cloud, "subnets", "Subnet", String(f.subnet)) })),
            )),
        security_groups: await ids(cloud, "security-groups", "Security Group", p.security_groups),
        admin_state_up: p.admin_state_up,
        mac_address: p.mac_address,
        allowed_address_pairs: p.allowed_address_pairs,
        "binding:vnic_type": p["binding:vnic_type"],
        port_security_enabled: p.port_security_enabled,
      }),
    );
  },
  attributes: async (obj, cloud) => {
    const network = await fetchOrGone<Obj>(cloud, "network", `/v2.0/networks/${String(obj.network_id)}`, "network");
    const subnets = await Promise.all(
      ((obj.fixed_ips as { subnet_id: string }[] | undefined) ?? []).map((f) => fetchOrGone<Obj>(cloud, "network", `/v2.0/subnets/${f.subnet_id}`, "subnet")),
    );
    return { ...declared(types.neutronPort, obj), network: network ?? null, subnets: subnets.filter(Boolean) };
  },
});

/** A rule as Neutron takes it; a rule without a remote group or prefix of a security group uses the group itself when remote_mode says so. */
function ruleBody(rule: Obj, groupId: string): Obj {
  const remoteGroup = rule.remote_mode === "remote_group_id" ? (rule.remote_group_id as string | undefined) ?? groupId : undefined;
  return defined({
    security_group_id: groupId,
    direction: rule.direction ?? "ingress",
    ethertype: rule.ethertype ?? "IPv4",
    port_range_min: rule.port_range_min,
    port_range_max: rule.port_range_max,
    protocol: rule.protocol,
    remote_ip_prefix: remoteGroup ? undefined : rule.remote_ip_prefix,
    remote_group_id: remoteGroup,
  });
}

/** Adds a rule; one that exists already (a create run again) is the same rule: Neutron names it in its 409. */
async function addRule(cloud: CloudPort, body: Obj): Promise<string> {
  const answer = await cloud.call("network", "POST", "/v2.0/security-group-rules", { body: { security_group_rule: body }, expect: [409] });
  if (answer.status === 409) {
    const msg = JSON.stringify(answer.body);
    const existing = /Rule id is ([0-9a-f-]{36})/.exec(msg)?.[1];
    if (existing) return existing;
    throw new ResourceFailure(`${(answer.body as { NeutronError?: { message?: string } }).NeutronError?.message ?? msg} (HTTP 409)`, "Conflict");
  }
  return String((answer.body as { security_group_rule: Obj }).security_group_rule.id);
}

export const securityGroupPlugin = neutronPlugin({
  schema: types.neutronSecurityGroup,
  collection: "security-groups",
  key: "security_group",
  entity: "Security Group",
  ownDescription: true,
  body: async (p, _c, ctx) => defined({ name: nameOf(p, ctx), description: p.description ?? "" }),
  attributes: () => ({}),
  // Heat's way: the listed rules replace the group's, and listed egress rules replace the default ones.
  afterApply: async (id, props, previous, cloud) => {
    const rules = (props.rules as Obj[] | undefined) ?? [];
    if (previous && sameValue(previous.rules, props.rules)) return;
    const answer = await cloud.call("network", "GET", `/v2.0/security-group-rules?security_group_id=${id}`);
    const existing = (answer.body as { security_group_rules: Obj[] }).security_group_rules;
    const hasEgress = rules.some((r) => (r.direction ?? "ingress") === "egress");
    for (const r of existing) {
      const isDefaultEgress = r.direction === "egress" && !r.protocol && !r.remote_ip_prefix && !r.remote_group_id;
      if (previous || (hasEgress && isDefaultEgress)) {
        if (!previous || !isDefaultEgress || hasEgress) await deleteOrGone(cloud, "network", `/v2.0/security-group-rules/${String(r.id)}`);
      }
    }
    for (const rule of rules) await addRule(cloud, ruleBody(rule, id));
  },
});

export const securityGroupRulePlugin: ResourcePlugin = {
  ...types.neutronSecurityGroupRule,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    const group = await neutronId(cloud, "security-groups", "Security Group", String(p.security_group));
    const id = await addRule(
      cloud,
      defined({
        ...ruleBody({ ...p, remote_mode: undefined }, group),
        remote_group_id: p.remote_group === undefined ? undefined : await neutronId(cloud, "security-groups", "Security Group", String(p.remote_group)),
        description: p.description,
      }),
    );
    return done({ physicalId: id, attributes: { show: (await fetchOrGone<Obj>(cloud, "network", `/v2.0/security-group-rules/${id}`, "security_group_rule")) ?? {} } });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    if (ctx.physicalId) await deleteOrGone(cloud, "network", `/v2.0/security-group-rules/${ctx.physicalId}`);
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const rule = ctx.physicalId && (await fetchOrGone<Obj>(cloud, "network", `/v2.0/security-group-rules/${ctx.physicalId}`, "security_group_rule"));
    if (!rule) throw new ResourceFailure(`The Security Group Rule (${ctx.physicalId}) could not be found.`, "NotFound");
    return done();
  }),
};

export const floatingIPPlugin = neutronPlugin({
  schema: types.neutronFloatingIP,
  collection: "floatingips",
  key: "floatingip",
  entity: "Floating IP",
  body: async (p, cloud) =>
    defined(
      withValueSpecs(p, {
        floating_network_id: p.floating_network === undefined ? undefined : await neutronId(cloud, "networks", "Network", String(p.floating_network)),
        subnet_id: p.floating_subnet === undefined ? undefined : await neutronId(cloud, "subnets", "Subnet", String(p.floating_subnet)),
        port_id: p.port_id,
        fixed_ip_address: p.fixed_ip_address,
        floating_ip_address: p.floating_ip_address,
      }),
    ),
});

/** Associates a floating IP with a port; deleting it dissociates them. Its physical id is the floating IP's. */
export const floatingIPAssociationPlugin: ResourcePlugin = {
  ...types.neutronFloatingIPAssociation,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    await cloud.call("network", "PUT", `/v2.0/floatingips/${String(p.floatingip_id)}`, {
      body: { floatingip: defined({ port_id: p.port_id, fixed_ip_address: p.fixed_ip_address }) },
    });
    return done({ physicalId: String(p.floatingip_id) });
  }),
  update: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    if (ctx.previousProperties.floatingip_id !== p.floatingip_id) {
      await cloud.call("network", "PUT", `/v2.0/floatingips/${String(ctx.previousProperties.floatingip_id)}`, { body: { floatingip: { port_id: null } }, expect: [404] });
    }
    await cloud.call("network", "PUT", `/v2.0/floatingips/${String(p.floatingip_id)}`, { body: { floatingip: defined({ port_id: p.port_id, fixed_ip_address: p.fixed_ip_address }) } });
    return done({ physicalId: String(p.floatingip_id) });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    const id = ctx.physicalId ?? (ctx.properties.floatingip_id as string | undefined);
    if (id) await cloud.call("network", "PUT", `/v2.0/floatingips/${id}`, { body: { floatingip: { port_id: null } }, expect: [404] });
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const fip = ctx.physicalId && (await fetchOrGone<Obj>(cloud, "network", `/v2.0/floatingips/${ctx.physicalId}`, "floatingip"));
    if (!fip) throw new ResourceFailure(`The Floating IP (${ctx.physicalId}) could not be found.`, "NotFound");
    if (fip.port_id !== ctx.properties.port_id) throw new ResourceFailure(`The floating IP ${ctx.physicalId} is no longer associated with port ${String(ctx.properties.port_id)}`, "NotFound");
    return done();
  }),
};

/** A router's interface on a subnet or port; its physical id is Heat's `<router>:subnet_id=<subnet>` (or `port_id=`). */
export const routerInterfacePlugin: ResourcePlugin = {
  ...types.neutronRouterInterface,
  create: cloudHandler(async (ctx, cloud) => {
    const p = ctx.properties;
    if ((p.subnet === undefined) === (p.port === undefined)) throw new ResourceFailure("Exactly one of subnet or port should be specified.", "PropertyUnspecifiedError");
    const router = await neutronId(cloud, "routers", "Router", String(p.router));
    const [key, id] =
      p.subnet !== undefined ? ["subnet_id", await neutronId(cloud, "subnets", "Subnet", String(p.subnet))] : ["port_id", await neutronId(cloud, "ports", "Port", String(p.port))];
    // Run again after a crash, the interface may be there already.
    const existing = await cloud.call("network", "GET", `/v2.0/ports?device_id=${router}${key === "subnet_id" ? `&fixed_ips=subnet_id%3D${id}` : `&id=${id}`}&fields=id`);
    if (((existing.body as { ports: Obj[] }).ports ?? []).length === 0) {
      await cloud.call("network", "PUT", `/v2.0/routers/${router}/add_router_interface`, { body: { [key]: id } });
    }
    return done({ physicalId: `${router}:${key}=${id}` });
  }),
  delete: cloudHandler(async (ctx, cloud) => {
    const m = /^([^:]+):(subnet_id|port_id)=(.+)$/.exec(ctx.physicalId ?? "");
    if (m) {
      await cloud.call("network", "PUT", `/v2.0/routers/${m[1]}/remove_router_interface`, { body: { [m[2]!]: m[3] }, expect: [404] });
    }
    return done();
  }),
  check: cloudHandler(async (ctx, cloud) => {
    const m = /^([^:]+):(subnet_id|port_id)=(.+)$/.exec(ctx.physicalId ?? "");
    const found = m && (await cloud.call("network", "GET", `/v2.0/ports?device_id=${m[1]}${m[2] === "subnet_id" ? `&fixed_ips=subnet_id%3D${m[3]}` : `&id=${m[3]}`}&fields=id`));
    if (!found || ((found.body as { ports: Obj[] }).ports ?? []).length === 0) throw new ResourceFailure(`The router interface ${ctx.physicalId} could not be found.`, "NotFound");
    return done();
  }),
};

export const neutronPlugins = [
  netPlugin,
  subnetPlugin,
  routerPlugin,
  routerInterfacePlugin,
  portPlugin,
  securityGroupPlugin,
  securityGroupRulePlugin,
  floatingIPPlugin,
  floatingIPAssociationPlugin,
];
