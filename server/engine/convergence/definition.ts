/**
 * The engine's view of a template version: which resources should exist, what each needs,
 * and how to resolve its properties from the outputs of what it needs. Built from HOT by the
 * template layer (see ./fromTemplate.ts); tests may build one directly.
 */

import type { CloudLookup } from "../validation/cloudLookups";
import type { Diagnostic } from "../diagnostics";
import type { TreeSize } from "../validation/treeSize";
import type { InheritanceRequest } from "../resources/plugin";
import type { RestrictedAction } from "../template";

/** What a converged resource exposes to those that depend on it. */
export interface ResourceOutput {
  physicalId: string | null;
  /** What get_resource answers: the physical id unless the type says otherwise. */
  reference: string | null;
  attributes: Record<string, unknown>;
}

export type OutputLookup = (resourceName: string) => ResourceOutput | undefined;

export interface ResolvedResource {
  properties: Record<string, unknown>;
  metadata: unknown;
  /** As written, functions resolved; checked against the type's by the engine. */
  updatePolicy: unknown;
}

export interface ResourceDefinition {
  name: string;
  type: string;
  /** Names of the resources this one needs (depends_on, get_resource, get_attr). */
  requires: string[];
  deletionPolicy: "Delete" | "Retain" | "Snapshot";
  updatePolicy?: Record<string, unknown>;
  /**
   * The type as the template names it, when the environment's resource_registry mapped it to
   * `type` (My::Server to server.yaml): what Heat shows as the resource's type, and filters by.
   */
  templateType?: string;
  /** What the environment forbids an update to do to it (Heat's restricted_actions); none when absent. */
  restrictedActions?: readonly RestrictedAction[];
  /** For provider-template types: the nested template's file name in `files`. */
  providerTemplate?: string;
  /** Resolves the properties; throws an Error with a user-facing message when it cannot. */
  resolve(lookup: OutputLookup): ResolvedResource;
}

export interface OutputValue {
  value?: unknown;
  description?: string;
  error?: string;
}

export interface StackDefinition {
  resources: ReadonlyMap<string, ResourceDefinition>;
  /** What it is known to add to its tree before anything is built; by default its resources alone. */
  size?: TreeSize;
  /** The template's outputs, resolved against the converged resources. */
  outputs(lookup: OutputLookup): Record<string, OutputValue>;
  /** The files map the template came with (provider templates, get_file). */
  files: Record<string, string>;
  /**
   * The environment the nested stack a resource builds inherits, as a document
   * (template/environment.ts childEnvironments); undefined when there is nothing to inherit.
   */
  childEnvironment?: (resourceName: string, request: InheritanceRequest) => string | undefined;
  /** What validation warned about (deprecated properties, ignored sections…), kept with the stack. */
  warnings?: Diagnostic[];
  /** Values only the cloud can check (validation/cloudLookups.ts), looked up before a top-level stack is created or updated. */
  cloudLookups?: readonly CloudLookup[];
  /** The texts of its hidden parameters' values (template/hiddenValues.ts): masked wherever shown. */
  hidden?: readonly string[];
}

export const sizeOf = (def: StackDefinition): TreeSize => def.size ?? { resources: def.resources.size, groups: [] };

export const EMPTY_DEFINITION: StackDefinition = {
  resources: new Map(),
  outputs: () => ({}),
  files: {},
};
