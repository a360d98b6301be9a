/** The OpenStack resource types: schemas for validation, plugins for the engine. They talk to the cloud only through CloudPort. */
import type { ResourcePlugin } from "../plugin";
import type { ResourceTypeSchema } from "../schema";
import { glancePlugins } from "./glancePlugins";
import { glanceTypes } from "./glanceTypes";
import { neutronPlugins } from "./neutronPlugins";
import { neutronTypes } from "./neutronTypes";
import { novaPlugins } from "./novaPlugins";
import { novaTypes } from "./novaTypes";
import { storagePlugins } from "./storagePlugins";
import { storageTypes } from "./storageTypes";

export const openstackResourceTypes: readonly ResourceTypeSchema[] = [...neutronTypes, ...novaTypes, ...storageTypes, ...glanceTypes];
export const openstackPlugins: readonly ResourcePlugin[] = [...neutronPlugins, ...novaPlugins, ...storagePlugins, ...glancePlugins];
