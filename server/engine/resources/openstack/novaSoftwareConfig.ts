/**
 * A Nova server with `user_data_format: SOFTWARE_CONFIG`: what it boots with so that software
 * deployments reach it, in the shape Heat gives it (nova client plugin's build_userdata and
 * server_base's _populate_deployments_metadata, read for behaviour).
 *
 * The user_data is a multipart MIME message for cloud-init: a cloud-config part, a part
 * handler that writes every `text/x-cfninitdata` part to /var/lib/heat-cfntools (where
 * os-collect-config's heat_local collector reads it), the template's own user_data, and
 * `cfn-init-data`: the server's metadata, whose `os-collect-config` section tells
 * os-collect-config where to poll. Kiln serves that metadata at its own temp-URL-like address,
 * so only POLL_TEMP_URL is served; the URL names the server by its resource id (Nova has not
 * chosen the server's id when the user_data is sent; see software/softwareServers.ts).
 */
import { randomBytes } from "node:crypto";
import { ResourceFailure, type ResourceContext } from "../plugin";
import { serverMetadataPath } from "../plugins/deployedServer";

type Obj = Record<string, unknown>;


/** Why Kiln cannot serve a transport an unmodified image would poll. */
const UNSERVED: Record<string, string> = {
  POLL_SERVER_CFN: "the CloudFormation metadata API",
  POLL_SERVER_HEAT: "Heat's API",
  ZAQAR_MESSAGE: "a Zaqar queue Heat writes to",
};

export function refuseUnservedTransport(transport: string) {
  const needs = UNSERVED[transport];
  if (needs) {
    throw new ResourceFailure(
      `software_config_transport ${transport} needs ${needs}, which Kiln does not serve; use POLL_TEMP_URL (Kiln serves the metadata URL, and Kiln's agent starts from it too)`,
      "NotSupported",
    );
  }
}

/** The credential and os-collect-config settings, made once per server and kept in its data. */
export function softwareConfigServerData(ctx: ResourceContext): { credential: string; osCollectConfig: Obj } {
  const credential = (ctx.data.credential as string | undefined) ?? randomBytes(32).toString("base64url");
  return {
    credential,
    // Heat's Nova server asks for the EC2 metadata collector too.
    osCollectConfig: { collectors: ["ec2", "request", "local"], request: { metadata_url: `${ctx.publicUrl}${serverMetadataPath(ctx.resourceId, credential)}` } },
  };
}

/** Heat refuses deployments in the template's metadata of such a server: they are Heat's to write. */
export function refuseDeploymentsInMetadata(metadata: unknown) {
  if (metadata && typeof metadata === "object" && "deployments" in metadata) {
    throw new ResourceFailure("deployments key not allowed in resource metadata with user_data_format of SOFTWARE_CONFIG", "StackValidationFailed");
  }
}

const CLOUD_CONFIG = `# cloud-init's own output also goes to a file, to read when a boot went wrong
output: {all: '| tee -a /var/log/cloud-init-output.log'}
`;

// Runs inside cloud-init (Python): keeps each text/x-cfninitdata part as a file under its name.
const PART_HANDLER = `#part-handler
import os


def list_types():
    return ["text/x-cfninitdata"]


def handle_part(data, ctype, filename, payload):
    if ctype != "text/x-cfninitdata" or not filename:
        return
    for directory in ("/var/lib/heat-cfntools", "/var/lib/cloud/data"):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        with open(os.path.join(directory, os.path.basename(filename)), "w") as out:
            out.write(payload)
`;

interface Part {
  content: string;
  type: string;
  filename?: string;
}

/** One MIME part: 7bit when it is ASCII in short lines, else base64 (MIME's limit is 998 octets a line). */
function mimePart(part: Part): string {
  const plain = /^[\x00-\x7f]*$/.test(part.content) && part.content.split("\n").every((l) => l.length <= 998);
  const body = plain ? part.content : Buffer.from(part.content, "utf8").toString("base64").replace(/.{76}/g, "$&\n");
  return [
    `Content-Type: ${part.type}; charset="${plain ? "us-ascii" : "utf-8"}"`,
    "MIME-Version: 1.0",
    `Content-Transfer-Encoding: ${plain ? "7bit" : "base64"}`,
    ...(part.filename !== undefined ? [`Content-Disposition: attachment; filename="${part.filename}"`] : []),
    "",
    body,
  ].join("\n");
}

/** A user_data that is a MIME multipart message already: cloud-init walks it as a nested part. */
const isMultipart = (text: string) => /^content-type:\s*multipart\//i.test(text.trimStart());

/** The user_data a SOFTWARE_CONFIG server boots with (plain text; Nova takes it base64-encoded). */
export function softwareConfigUserData(userData: string, metadata: Obj): string {
  const boundary = `===============kiln${randomBytes(12).toString("hex")}==`;
  const parts = [
    mimePart({ content: CLOUD_CONFIG, type: "text/cloud-config", filename: "cloud-config" }),
    mimePart({ content: PART_HANDLER, type: "text/part-handler", filename: "part-handler.py" }),
    ...(userData === "" ? [] : [isMultipart(userData) ? userData.trimStart() : mimePart({ content: userData, type: "text/plain" })]),
    mimePart({ content: JSON.stringify(metadata), type: "text/x-cfninitdata", filename: "cfn-init-data" }),
  ];
  return [`Content-Type: multipart/mixed; boundary="${boundary}"`, "MIME-Version: 1.0", "", ...parts.map((p) => `--${boundary}\n${p}`), `--${boundary}--`, ""].join("\n");
}

/** Heat's server metadata at boot: the template's, with no deployments yet and the os-collect-config settings. */
export function bootMetadata(templateMetadata: unknown, osCollectConfig: unknown): Obj {
  const own = templateMetadata && typeof templateMetadata === "object" ? (templateMetadata as Obj) : {};
  return { ...own, deployments: [], "os-collect-config": osCollectConfig };
}
