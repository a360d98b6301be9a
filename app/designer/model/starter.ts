import { newestVersion } from "../../../server/engine/template/versions";

/** What a new template starts as: the newest heat_template_version Kiln accepts, no resources yet. */
export const STARTER = `heat_template_version: ${newestVersion}
description: A new template

parameters: {}

resources:
`;
