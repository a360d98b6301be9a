/**
 * Every path Heat's API v1 serves that Kiln serves, with the role each needs in the path's
 * project: reading needs reader, changing needs member (validate and the previews change
 * nothing), and a server's software metadata needs member too (it holds the configs whole). Each handler calls the same services and engine operations as tRPC, and answers
 * in Heat's shapes (heatViews.ts).
 */
import { refusedAsUnsupported, type HeatRoute } from "./heatRequest";
import { buildInfo, listTypesRoute, showTypeRoute, templateFunctionsRoute, templateVersionsRoute, typeTemplateRoute, validateRoute } from "./heatCatalog";
import { eventsRoute } from "./heatEvents";
import { createConfigRoute, deleteConfigRoute, listConfigsRoute, listDeploymentsRoute, notSupported, serverMetadataRoute, showConfigRoute, showDeploymentRoute } from "./heatSoftware";
import { listResourcesRoute, markUnhealthyRoute, resourceMetadataRoute, showResourceRoute, signalRoute } from "./heatResources";
import {
  actionsRoute,
  createPreviewRoute,
  createStackRoute,
  deleteStackRoute,
  environmentRoute,
  exportRoute,
  filesRoute,
  listOutputsRoute,
  listStacksRoute,
  lookupRoute,
  previewRoute,
  showOutputRoute,
  showStackRoute,
  templateRoute,
  updateRoute,
} from "./heatStacks";

const STACK = "/stacks/{stack_name}/{stack_id}";
const NO_SNAPSHOTS = "Kiln does not take stack snapshots (snapshot create, list, show, delete and restore are not supported)";
/** Words after a stack's name that Heat's lookup redirects (a stack id is never one of them). */
const SUBPATHS = "resources|events|template|environment|files|outputs|actions|export|preview|snapshots|abandon";

const lookups: HeatRoute[] = (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).flatMap((method) => [
  { method, path: "/stacks/{stack_name}", access: "reader" as const, changesNothing: true, handle: lookupRoute },
  { method, path: `/stacks/{stack_name}/{sub:${SUBPATHS}}`, access: "reader" as const, changesNothing: true, handle: lookupRoute },
  { method, path: `/stacks/{stack_name}/{sub:${SUBPATHS}}/{rest*}`, access: "reader" as const, changesNothing: true, handle: lookupRoute },
]);

export const heatRoutes: HeatRoute[] = [
  { method: "GET", path: "/stacks", access: "reader", handle: listStacksRoute },
  { method: "GET", path: "/stacks/detail", access: "reader", handle: listStacksRoute },
  { method: "POST", path: "/stacks", access: "member", handle: createStackRoute },
  { method: "POST", path: "/stacks/preview", access: "member", changesNothing: true, handle: createPreviewRoute },
  // Before a name/id path: "events", "resources" and the rest are never stack ids.
  ...lookups,
  { method: "GET", path: STACK, access: "reader", handle: showStackRoute },
  { method: "PUT", path: STACK, access: "member", handle: updateRoute(false) },
  { method: "PATCH", path: STACK, access: "member", handle: updateRoute(true) },
  { method: "DELETE", path: STACK, access: "member", handle: deleteStackRoute },
  { method: "PUT", path: `${STACK}/preview`, access: "member", changesNothing: true, handle: previewRoute(false) },
  { method: "PATCH", path: `${STACK}/preview`, access: "member", changesNothing: true, handle: previewRoute(true) },
  { method: "GET", path: `${STACK}/template`, access: "reader", handle: templateRoute },
  { method: "GET", path: `${STACK}/environment`, access: "reader", handle: environmentRoute },
  { method: "GET", path: `${STACK}/files`, access: "reader", handle: filesRoute },
  { method: "GET", path: `${STACK}/export`, access: "reader", handle: exportRoute },
  { method: "GET", path: `${STACK}/outputs`, access: "reader", handle: listOutputsRoute },
  { method: "GET", path: `${STACK}/outputs/{output_key}`, access: "reader", handle: showOutputRoute },
  { method: "POST", path: `${STACK}/actions`, access: "member", handle: actionsRoute },
  // Heat's snapshots and abandon: refused as unsupported, not answered "no such path".
  { method: "GET", path: `${STACK}/snapshots`, access: "reader", handle: refusedAsUnsupported(NO_SNAPSHOTS) },
  { method: "POST", path: `${STACK}/snapshots`, access: "member", handle: refusedAsUnsupported(NO_SNAPSHOTS) },
  { method: "GET", path: `${STACK}/snapshots/{snapshot_id}`, access: "reader", handle: refusedAsUnsupported(NO_SNAPSHOTS) },
  { method: "DELETE", path: `${STACK}/snapshots/{snapshot_id}`, access: "member", handle: refusedAsUnsupported(NO_SNAPSHOTS) },
  { method: "POST", path: `${STACK}/snapshots/{snapshot_id}/restore`, access: "member", handle: refusedAsUnsupported(NO_SNAPSHOTS) },
  { method: "DELETE", path: `${STACK}/abandon`, access: "member", handle: refusedAsUnsupported("Kiln does not abandon stacks: delete the stack instead, with deletion_policy: Retain on the resources whose objects should stay") },
  { method: "GET", path: `${STACK}/resources`, access: "reader", handle: listResourcesRoute },
  { method: "GET", path: `${STACK}/resources/{resource_name}`, access: "reader", handle: showResourceRoute },
  { method: "PATCH", path: `${STACK}/resources/{resource_name}`, access: "member", handle: markUnhealthyRoute },
  { method: "GET", path: `${STACK}/resources/{resource_name}/metadata`, access: "reader", handle: resourceMetadataRoute },
  { method: "POST", path: `${STACK}/resources/{resource_name}/signal`, access: "member", handle: signalRoute },
  { method: "GET", path: `${STACK}/events`, access: "reader", handle: (ctx) => eventsRoute(ctx) },
  { method: "GET", path: `${STACK}/resources/{resource_name}/events`, access: "reader", handle: (ctx) => eventsRoute(ctx, ctx.params.resource_name) },
  { method: "GET", path: `${STACK}/resources/{resource_name}/events/{event_id}`, access: "reader", handle: (ctx) => eventsRoute(ctx, ctx.params.resource_name, ctx.params.event_id) },
  { method: "POST", path: "/validate", access: "reader", changesNothing: true, handle: validateRoute },
  { method: "GET", path: "/resource_types", access: "reader", handle: listTypesRoute },
  { method: "GET", path: "/resource_types/{type_name}", access: "reader", handle: showTypeRoute },
  { method: "GET", path: "/resource_types/{type_name}/template", access: "reader", handle: typeTemplateRoute },
  { method: "GET", path: "/template_versions", access: "reader", handle: templateVersionsRoute },
  { method: "GET", path: "/template_versions/{template_version}/functions", access: "reader", handle: templateFunctionsRoute },
  { method: "GET", path: "/build_info", access: "reader", handle: buildInfo },
  { method: "GET", path: "/software_configs", access: "reader", handle: listConfigsRoute },
  { method: "POST", path: "/software_configs", access: "member", handle: createConfigRoute },
  { method: "GET", path: "/software_configs/{config_id}", access: "reader", handle: showConfigRoute },
  { method: "DELETE", path: "/software_configs/{config_id}", access: "member", handle: deleteConfigRoute },
  { method: "GET", path: "/software_deployments", access: "reader", handle: listDeploymentsRoute },
  { method: "POST", path: "/software_deployments", access: "member", handle: notSupported("create software deployments") },
  // Before {deployment_id}: "metadata" is never a deployment id. Members only: it holds the configs' content.
  { method: "GET", path: "/software_deployments/metadata/{server_id}", access: "member", handle: serverMetadataRoute },
  { method: "GET", path: "/software_deployments/{deployment_id}", access: "reader", handle: showDeploymentRoute },
  { method: "PUT", path: "/software_deployments/{deployment_id}", access: "member", handle: notSupported("change software deployments") },
  { method: "DELETE", path: "/software_deployments/{deployment_id}", access: "member", handle: notSupported("delete software deployments") },
];
