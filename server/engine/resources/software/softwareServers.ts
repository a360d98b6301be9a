/**
 * The resource types whose servers take software deployments: a DeployedServer, and a Nova
 * server booted with `user_data_format: SOFTWARE_CONFIG`. Either is found by its physical id
 * (what a deployment's `server` names) or by its resource id: a Nova server's user_data must
 * name it before Nova has chosen the server's id, so its agent names it by the resource's.
 */
export const SOFTWARE_SERVER_TYPES: readonly string[] = ["OS::Heat::DeployedServer", "OS::Nova::Server"];
