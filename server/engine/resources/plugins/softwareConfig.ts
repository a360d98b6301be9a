/**
 * The config types: each stores one immutable software config (Heat's software_config row)
 * whose id is the resource's physical id. Having no update, any change of their properties
 * replaces them, which gives the new config a new id and re-deploys whatever uses it.
 */
import { createHash } from "node:crypto";
import jsYaml from "js-yaml";
import { cloudConfig, multipartMime, softwareConfig, structuredConfig } from "../softwareConfig";
import type { SoftwareConfigRecord } from "../../ports";
import { done, type ResourceContext, type ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { configBody } from "../software/derivedConfig";
import { stableUuid } from "../software/stableId";

const configIdOf = (resourceId: string) => stableUuid(`software-config:${resourceId}`);

function configPlugin(schema: ResourceTypeSchema, stored: (ctx: ResourceContext) => Promise<Pick<SoftwareConfigRecord, "group" | "config">> | Pick<SoftwareConfigRecord, "group" | "config">): ResourcePlugin {
  return {
    ...schema,
    async create(ctx) {
      const id = (ctx.data.configId as string | undefined) ?? configIdOf(ctx.resourceId);
      const { group, config } = await stored(ctx);
      await ctx.software.store.createConfig({ id, projectId: ctx.projectId, name: ctx.physicalName(), group, config, createdAt: new Date(ctx.now).toISOString() });
      return done({ physicalId: id, attributes: { config: config.config }, data: { configId: id } });
    },
    async delete(ctx) {
      if (ctx.physicalId) await ctx.software.store.deleteConfig(ctx.physicalId);
      return done();
    },
  };
}

export const softwareConfigPlugin = configPlugin(softwareConfig, (ctx) => ({
  group: String(ctx.properties.group ?? "Heat::Ungrouped"),
  config: configBody(ctx.properties, ctx.properties.config ?? null),
}));

export const structuredConfigPlugin = configPlugin(structuredConfig, (ctx) => ({
  group: String(ctx.properties.group ?? "Heat::Ungrouped"),
  config: configBody(ctx.properties, ctx.properties.config ?? null),
}));

/** The cloud-config document as YAML under cloud-init's `#cloud-config` line (keys sorted, block style, as Heat writes it). */
export const cloudConfigPlugin = configPlugin(cloudConfig, (ctx) => ({
  group: "Heat::Ungrouped",
  config: configBody({}, `#cloud-config\n${jsYaml.dump(ctx.properties.cloud_config ?? {}, { lineWidth: -1, sortKeys: true, noArrayIndent: true })}`),
}));

export const multipartMimePlugin = configPlugin(multipartMime, async (ctx) => ({
  group: String(ctx.properties.group ?? "Heat::Ungrouped"),
  config: configBody({}, await mimeMessage(ctx)),
}));

interface MimePart {
  content: string;
  subtype: string;
  filename: string;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Assembles the parts; a part naming a stored config takes its content, a multipart part is split into its parts. */
async function mimeMessage(ctx: ResourceContext): Promise<string> {
  const parts: MimePart[] = [];
  for (const item of (ctx.properties.parts as Record<string, unknown>[] | undefined) ?? []) {
    let content = String(item.config ?? "");
    if (UUID.test(content)) {
      const stored = await ctx.software.config(content);
      if (stored) content = typeof stored.config.config === "string" ? stored.config.config : JSON.stringify(stored.config.config);
    }
    if (item.type === "multipart") parts.push(...splitMultipart(content));
    else {
      const filename = (item.filename as string | undefined) ?? "";
      const subtype = (item.subtype as string | undefined) || (filename ? filename.replace(/\.[^.]*$/, "") : "") || "plain";
      parts.push({ content, subtype, filename });
    }
  }
  return renderMime(parts, `===============${createHash("sha256").update(ctx.resourceId).digest("hex").slice(0, 19)}==`);
}

function renderMime(parts: MimePart[], boundary: string): string {
  const lines = [`Content-Type: multipart/mixed; boundary="${boundary}"`, "MIME-Version: 1.0", ""];
  for (const p of parts) {
    const ascii = /^[\x00-\x7f]*$/.test(p.content);
    lines.push(`--${boundary}`, `Content-Type: text/${p.subtype}; charset="${ascii ? "us-ascii" : "utf-8"}"`, "MIME-Version: 1.0");
    if (ascii) lines.push("Content-Transfer-Encoding: 7bit");
    else lines.push("Content-Transfer-Encoding: base64");
    if (p.filename) lines.push(`Content-Disposition: attachment; filename="${p.filename}"`);
    lines.push("", ascii ? p.content : `${Buffer.from(p.content, "utf8").toString("base64").replace(/(.{76})(?=.)/g, "$1\n")}\n`);
  }
  lines.push(`--${boundary}--`, "");
  return lines.join("\n");
}

/** The text parts of a multi-part message (one made by renderMime, or any simple one). */
function splitMultipart(message: string): MimePart[] {
  const boundary = /boundary="?([^";\n]+)"?/.exec(message)?.[1];
  if (!boundary) return [];
  const chunks = message.split(`--${boundary}`).slice(1, -1);
  return chunks.map((chunk) => {
    const [head = "", ...body] = chunk.replace(/^\n/, "").split("\n\n");
    const subtype = /Content-Type:\s*text\/([\w.+-]+)/i.exec(head)?.[1] ?? "plain";
    const filename = /filename="?([^";\n]+)"?/i.exec(head)?.[1] ?? "";
    let content = body.join("\n\n").replace(/\n$/, "");
    if (/Content-Transfer-Encoding:\s*base64/i.test(head)) content = Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8");
    return { content, subtype, filename };
  });
}
