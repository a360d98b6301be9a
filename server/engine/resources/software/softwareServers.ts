/**
 * The resource types whose servers take software deployments: a DeployedServer, and a Nova
 * server booted with `user_data_format: SOFTWARE_CONFIG`. Either is found by its physical id
 * (what a deployment's `server` names) or by its resource id: a Nova server's user_data must
 * name it before Nova has chosen the server's id, so its agent names it by the resource's.
 */
export const SOFTWARE_SERVER_TYPES: readonly string[] = ["OS::Heat::DeployedServer", "OS::Nova::Server"];

/** A Nova server's properties ask for software deployments (Heat's user_data_format SOFTWARE_CONFIG). */
export const bootsSoftwareConfig = (properties: Record<string, unknown>) => properties.user_data_format === "SOFTWARE_CONFIG";

/**
 * The servers Kiln's agent serves, whose agent the stack page shows with the command that
 * connects one: every DeployedServer, and a Nova server booted for software deployments (any
 * other Nova server takes none, so it has no agent to show).
 */
export function isAgentServer(r: { type: string; properties: Record<string, unknown> }): boolean {
  return r.type === "OS::Heat::DeployedServer" || (r.type === "OS::Nova::Server" && bootsSoftwareConfig(r.properties));
}
