/**
 * Builds the engine's StackDefinition from a stored template version with the HOT template
 * layer: validated once (types, properties, graph), then each resource resolves on demand
 * from the outputs that reached its sync point, without re-reading the template.
 */
import { error, type Diagnostic } from "../diagnostics";
import type { RawTemplateRecord } from "../ports";
import type { ResourcePlugin } from "../resources/plugin";
import { AttributeUnavailable, allAttributes, readAttribute } from "../resources/storedAttributes";
import { childEnvironments, restrictedActions, FunctionError, resolveOutputs, resolveResource, resolveType, type DeployedValues, type Environment, type EnvironmentSource } from "../template";
import type { ResolvedResource as LoadedResource } from "../template/resolve";
import { validateStack, type TypeLookup } from "../validation/validateStack";
import { nestedTemplateProblems } from "../validation/nestedParameters";
import { hiddenValues, maskHidden, maskText, secretSet } from "../template/hiddenValues";
import type { OutputLookup, ResourceDefinition, StackDefinition } from "./definition";
import { type StackIdentity } from "./engineContext";
import { TemplateInvalid } from "../errors";

/**
 * A stack's environment documents, named by their place. A nested stack's were built by the
 * engine from its parent's, which were within the size limit when sent: what they merge to
 * (TripleO's parameter_defaults) may be larger than one file may be.
 */
export function environmentSources(environment: string[], stack?: Pick<StackIdentity, "parentResourceId">): EnvironmentSource[] {
  const fromParent = Boolean(stack?.parentResourceId);
  return environment.map((content, i) => ({ name: `environment ${i + 1}`, content, ...(fromParent ? { fromParent } : {}) }));
}

/** Which of the documents (from 0) a diagnostic's file names, as environmentSources names them; undefined for any other file. */
export function environmentIndex(file: string | undefined): number | undefined {
  const place = file === undefined ? null : /^environment (\d+)$/.exec(file);
  return place ? Number(place[1]) - 1 : undefined;
}

/** Reading an attribute that is not there is a function error, reported where get_attr was written. */
function readOrFail<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AttributeUnavailable) throw new FunctionError(e.message);
    throw e;
  }
}

function deployedFrom(lookup: OutputLookup): DeployedValues {
  return {
    resourceId: (r) => lookup(r)?.reference ?? null,
    attribute: (r, a, path) => {
      const out = lookup(r);
      return out ? readOrFail(() => readAttribute(out.attributes, r, a, path)) : null;
    },
    allAttributes: (r) => {
      const out = lookup(r);
      return out ? readOrFail(() => allAttributes(out.attributes, r)) : {};
    },
  };
}

const describe = (ds: Diagnostic[]) => ds.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; ");

export function templateLoader(types: TypeLookup, plugins: ReadonlyMap<string, ResourcePlugin>) {
  return (t: RawTemplateRecord, stack: StackIdentity, submitted = false): StackDefinition => {
    const v = validateStack(
      { template: t.template, files: t.files, environments: environmentSources(t.environment, stack), stack },
      types,
    );
    const hidden = hiddenValues(v.loaded.parameters.schema, v.loaded.parameters.values);
    const problems = [...v.errors];
    for (const r of Object.values(v.loaded.resources)) {
      if (r.providerTemplate === undefined && types.get(r.type) && !plugins.has(r.type)) {
        problems.push(error(`resources.${r.name}.type`, `${r.type} validates, but Kiln cannot deploy it yet`));
      }
    }
    // A nested stack's own template was checked with its parent's submission.
    if (submitted && !problems.length) problems.push(...nestedTemplateProblems(v.loaded, t.files, types));
    if (problems.length) throw new TemplateInvalid(maskHidden(problems, secretSet(hidden)));

    const requires = new Map<string, Set<string>>();
    for (const e of v.graph.edges) {
      const list = requires.get(e.to) ?? new Set<string>();
      list.add(e.from);
      requires.set(e.to, list);
    }
    const context = v.loaded.context;
    const resources = new Map<string, ResourceDefinition>();
    for (const name of v.order ?? Object.keys(v.loaded.resources)) {
      const r = v.loaded.resources[name]!;
      const restricted = restrictedActions(v.loaded.environment, name);
      resources.set(name, {
        name,
        type: r.type,
        requires: [...(requires.get(name) ?? [])],
        deletionPolicy: r.deletionPolicy === "Retain" ? "Retain" : r.deletionPolicy === "Snapshot" ? "Snapshot" : "Delete",
        updatePolicy: (r.updatePolicy as Record<string, unknown> | undefined) ?? undefined,
        ...(r.providerTemplate !== undefined ? { providerTemplate: r.providerTemplate } : {}),
        ...(r.templateType !== r.type ? { templateType: r.templateType } : {}),
        ...(restricted.length ? { restrictedActions: restricted } : {}),
        resolve(lookup) {
          const res = resolveResource(context, name, deployedFrom(lookup));
          const errors = res.diagnostics.filter((d) => d.severity === "error");
          if (errors.length || !res.resource) throw new Error(maskText(describe(errors), secretSet(hidden)));
          return { properties: res.resource.properties, metadata: res.resource.metadata, updatePolicy: res.resource.updatePolicy };
        },
      });
    }
    return {
      resources,
      size: v.size,
      files: t.files,
      warnings: v.warnings,
      cloudLookups: v.cloudLookups,
      hidden,
      childEnvironment: inheritedFrom(v.loaded.environment, v.loaded.resources, t.files),
      outputs(lookup) {
        const { outputs } = resolveOutputs(context, deployedFrom(lookup));
        return Object.fromEntries(
          Object.entries(outputs).map(([k, o]) => [
            k,
            { value: o.error ? undefined : o.value, ...(o.description ? { description: o.description } : {}), ...(o.error ? { error: o.error } : {}) },
          ]),
        );
      },
    };
  };
}

/** StackDefinition.childEnvironment: the registry entry that chose a resource's template is what it leaves out. */
function inheritedFrom(environment: Environment, resources: Record<string, LoadedResource>, files: Record<string, string>): NonNullable<StackDefinition["childEnvironment"]> {
  const documents = childEnvironments(environment);
  const entryOf = (resourceName: string, type: string | undefined) => (type === undefined ? undefined : resolveType(environment, resourceName, type, files).entry);
  return (resourceName, request) => {
    const own = entryOf(resourceName, resources[resourceName]?.templateType);
    return documents({ removing: own ? [own] : [], ...(request.whole ? {} : { narrowTo: resourceName }) });
  };
}
