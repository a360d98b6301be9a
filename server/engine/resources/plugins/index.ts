/** Every built-in resource type with its behaviour, by type name. */
import type { ResourcePlugin } from "../plugin";
import { nonePlugin } from "./none";
import { openstackPlugins } from "../openstack";
import { randomStringPlugin } from "./randomString";
import { resourceChainPlugin } from "./resourceChain";
import { resourceGroupPlugin } from "./resourceGroup";
import { stackPlugin } from "./stack";
import { testResourcePlugin } from "./testResource";
import { valuePlugin } from "./value";
import { waitConditionPlugin } from "./waitCondition";
import { waitConditionHandlePlugin } from "./waitConditionHandle";
import { deployedServerPlugin } from "./deployedServer";
import { cloudConfigPlugin, multipartMimePlugin, softwareConfigPlugin, structuredConfigPlugin } from "./softwareConfig";
import { softwareDeploymentPlugin, structuredDeploymentPlugin } from "./softwareDeployment";
import { softwareDeploymentGroupPlugin, structuredDeploymentGroupPlugin } from "./softwareDeploymentGroup";

export const builtinPlugins: ReadonlyMap<string, ResourcePlugin> = new Map(
  [
    nonePlugin,
    testResourcePlugin,
    valuePlugin,
    randomStringPlugin,
    stackPlugin,
    resourceGroupPlugin,
    resourceChainPlugin,
    waitConditionHandlePlugin,
    waitConditionPlugin,
    softwareConfigPlugin,
    structuredConfigPlugin,
    cloudConfigPlugin,
    multipartMimePlugin,
    softwareDeploymentPlugin,
    structuredDeploymentPlugin,
    softwareDeploymentGroupPlugin,
    structuredDeploymentGroupPlugin,
    deployedServerPlugin,
    ...openstackPlugins,
  ].map((p) => [p.type, p]),
);
