import { deployedServer } from "./deployedServer";
import { noneResource } from "./none";
import { openstackResourceTypes } from "./openstack";
import { randomString } from "./randomString";
import { resourceChain } from "./resourceChain";
import { resourceGroup } from "./resourceGroup";
import type { ResourceTypeSchema } from "./schema";
import { cloudConfig, multipartMime, softwareConfig, structuredConfig } from "./softwareConfig";
import { softwareDeployment, softwareDeploymentGroup, structuredDeployment, structuredDeploymentGroup } from "./softwareDeployment";
import { stackResource } from "./stack";
import { testResource } from "./testResource";
import { valueResource } from "./value";
import { waitCondition } from "./waitCondition";
import { waitConditionHandle } from "./waitConditionHandle";

/** The resource types Kiln ships: those that need no cloud. */
export const builtinResourceTypes: readonly ResourceTypeSchema[] = [
  noneResource,
  testResource,
  valueResource,
  randomString,
  resourceGroup,
  resourceChain,
  stackResource,
  waitCondition,
  waitConditionHandle,
  softwareConfig,
  structuredConfig,
  cloudConfig,
  multipartMime,
  softwareDeployment,
  structuredDeployment,
  softwareDeploymentGroup,
  structuredDeploymentGroup,
  deployedServer,
  ...openstackResourceTypes,
];
