"use client";
import { startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Background, Controls, Panel, ReactFlow, ReactFlowProvider, ViewportPortal, type Edge } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { FarGraph } from "../../components/FarGraph";
import { LARGE_GRAPH } from "../../lib/graphLayout";
import { attributeNames } from "../model/schemaChoices";
import "../designer.css";
import { api, type ApiOutput } from "../../lib/trpc";
import { readCarefully, readTemplate, resourceProperties, sameGraph, setProperty, setPropertyYaml, deleteFromCanvas, type HotModel } from "../model/hotDocument";
import { readSections } from "../model/sections";
import { STARTER } from "../model/starter";
import { useCanvasEdits } from "../hooks/useCanvasEdits";
import { useDraftHistory } from "../hooks/useDraftHistory";
import { DELETED_PREFIX, nameOf, nodeId, useFlowElements } from "../hooks/useFlowElements";
import { useCanvasView } from "../hooks/useCanvasView";
import { useFarDrawing } from "../hooks/useFarDrawing";
import { usePositions } from "../hooks/usePositions";
import { useResourceTypes } from "../hooks/useResourceTypes";
import { useValidation } from "../hooks/useValidation";
import { ConnectChooser } from "./ConnectChooser";
import { FindResource } from "./FindResource";
import { Inspector } from "./Inspector";
import type { Choices } from "./IntrinsicPicker";
import type { SideTab } from "./SideTabs";
import { TemplatePanels } from "./TemplatePanels";
import { LaunchDialog } from "./LaunchDialog";
import { Overview } from "./Overview";
import { parametersToSend, type ParameterValues } from "../../stacks/new/parametersToSend";
import { DRAG_TYPE, Palette } from "./Palette";
import { changeLabel, PREVIEW_CHANGES, ResourceNode, type DesignNode, type PreviewChange } from "./ResourceNode";
import { YamlEditor } from "./YamlEditor";

export type DesignerMode = { kind: "new" } | { kind: "edit"; stackId: string; stackName: string; parameters: Record<string, unknown> };

type Preview = ApiOutput["stacks"]["preview"];

export const DRAFT_KEY = "kiln.designer.draft";
export const ENVIRONMENT_KEY = "kiln.designer.environment";

const nodeTypes = { resource: ResourceNode };
/** React Flow would still keep and check every edge of hidden nodes: it is given none. */
const NO_EDGES: Edge[] = [];
/** Shift adds to the selection as well (shift-drag draws a selection box, React Flow's default). */
const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];

export function Designer(props: { mode: DesignerMode; initialText: string; initialEnvironment?: string }) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

/** The parameter values of the stack being edited, as the launch form holds them (hidden ones left out). */
const formValues = (parameters: Record<string, unknown>): ParameterValues =>
  Object.fromEntries(Object.entries(parameters).filter(([k, v]) => !k.startsWith("OS::") && v !== "******").map(([k, v]) => [k, typeof v === "boolean" ? v : typeof v === "string" ? v : JSON.stringify(v)]));

function DesignerInner({ mode, initialText, initialEnvironment = "" }: { mode: DesignerMode; initialText: string; initialEnvironment?: string }) {
  const router = useRouter();
  const canvasRef = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const storeKey = mode.kind === "edit" ? `stack.${mode.stackId}` : "draft";

  const draft = useDraftHistory({ template: initialText, environment: initialEnvironment });
  const { text, environment, notice, setNotice, flushTyping, apply, applyOrError } = draft;
  useEffect(() => {
    if (mode.kind === "new") localStorage.setItem(DRAFT_KEY, text);
  }, [mode.kind, text]);
  useEffect(() => {
    if (mode.kind === "new") localStorage.setItem(ENVIRONMENT_KEY, environment);
  }, [mode.kind, environment]);

  // The graph, read from the document (the last readable one while the YAML is broken).
  // Read fast for the first frame; the Document's read follows just after and holds where the
  // two differ (its syntax errors above all: every edit goes through the Document).
  const fast = useMemo(() => readTemplate(text), [text]);
  const settledText = useDeferredValue(text, "");
  const checked = useMemo(() => (settledText === text ? readCarefully(text) : undefined), [settledText, text]);
  const parsed = checked && !sameGraph(checked, fast) ? checked : fast;
  const lastGood = useRef<HotModel>(parsed);
  if (parsed.syntaxErrors.length === 0) lastGood.current = parsed;
  const model = parsed.syntaxErrors.length ? lastGood.current : parsed;
  const readOnly = parsed.syntaxErrors.length > 0;
  const names = useMemo(() => model.resources.map((r) => r.name), [model]);

  const [paramValues, setParamValues] = useState<ParameterValues>(() => (mode.kind === "edit" ? formValues(mode.parameters) : {}));
  const { environments, paramSchema, checking, errors, warnings, missingParameters, byResource, diagnostics } = useValidation({ text, environment, paramValues, names });
  const { types, loading: typesLoading, schemas, schemaOf } = useResourceTypes(model, setNotice);

  // First read just after the first frame: the sections need the text's Document, which for a
  // large template takes longer than drawing the canvas, and the panels listing them are not open
  // first. From then on they follow each edit at once (a checkbox the panel controls must).
  const [sectionsShown, setSectionsShown] = useState(false);
  useEffect(() => startTransition(() => setSectionsShown(true)), []);
  const sections = useMemo(() => readSections(sectionsShown ? model.text : ""), [sectionsShown, model.text]);
  // What intrinsic-function pickers can point at.
  const choicesFor = useCallback(
    (self?: string): Choices => ({
      parameters: sections.parameters.map((p) => p.name),
      resources: names.filter((n) => n !== self),
      attributesOf: (resource) => {
        const type = model.resources.find((r) => r.name === resource)?.type;
        const schema = type ? schemas[type] : null;
        return schema ? attributeNames(schema) : schema;
      },
    }),
    [sections, names, model, schemas],
  );

  const { positions, setPositions, autoLayout, laidOut, layingOut } = usePositions(storeKey, model);

  // The update preview (edit mode): its verdict holds while the text is the one previewed.
  const [preview, setPreview] = useState<{ text: string; result: Preview }>();
  const [busy, setBusy] = useState<string>();
  const changes = useMemo(() => {
    const out = new Map<string, { change: PreviewChange; reason?: string; type?: string }>();
    if (!preview || preview.text !== text) return out;
    for (const change of PREVIEW_CHANGES) {
      for (const e of preview.result[change]) out.set(e.resource_name, { change, reason: e.reason, type: e.resource_type });
    }
    return out;
  }, [preview, text]);

  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const select = useCallback((...names: string[]) => setSelection(new Set(names)), []);
  const selected = selection.size === 1 ? [...selection][0] : undefined;
  const [tab, setTab] = useState<SideTab>("resource");
  const pickSelection = useCallback(
    (update: (old: ReadonlySet<string>) => ReadonlySet<string>) =>
      setSelection((old) => {
        const next = update(old);
        if ([...next].some((n) => !old.has(n))) setTab("resource");
        return next;
      }),
    [],
  );
  const placed = model.resources.every((r) => positions[r.name]);
  const view = useCanvasView(positions, placed, laidOut, select);
  // Before the first fit nothing is drawn; far out, the far drawing stands in for nodes and edges.
  const hidden = !view.fitted || view.far;
  const { nodes, edges, onNodesChange, onEdgesChange, selectedEdges } = useFlowElements({ model, positions, setPositions, selection, setSelection: pickSelection, byResource, checking, changes, hidden });
  const farDrawing = useFarDrawing(view.fitted && view.far, nodes, model);
  // Drawn just after the canvas: its hundreds of boxes need not hold back the canvas' first frame.
  const showOverview = useDeferredValue(view.showOverview);
  const overviewBoxes = useMemo(() => nodes.map((n) => ({ x: n.position.x, y: n.position.y, bad: n.data.problems.length > 0 })), [nodes]);

  const [reveal, setReveal] = useState<{ line: number; seq: number }>();
  const revealResource = useCallback(
    (name: string) => {
      const r = model.resources.find((x) => x.name === name);
      if (r) setReveal((old) => ({ line: r.line, seq: (old?.seq ?? 0) + 1 }));
    },
    [model],
  );
  const onFarSelect = useCallback(
    (id: string | undefined) => {
      if (id === undefined) return select();
      if (id.startsWith(DELETED_PREFIX)) return;
      pickSelection(() => new Set([nameOf(id)]));
      revealResource(nameOf(id));
    },
    [select, pickSelection, revealResource],
  );
  const onAdded = useCallback(() => setTab("resource"), []);
  const canvas = useCanvasEdits({ model, readOnly, canvasRef, positions, setPositions, selection, select, selectedEdges, schemaOf, flushTyping, apply, applyOrError, undo: draft.undo, redo: draft.redo, setNotice, onAdded });

  // ---- import / export / launch / update ----
  const fileBase = mode.kind === "edit" ? mode.stackName : "template";
  const exportYaml = () => {
    const current = flushTyping();
    const url = URL.createObjectURL(new Blob([current], { type: "application/x-yaml" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${fileBase}.yaml`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const importYaml = async (file: File | undefined) => {
    if (!file) return;
    const content = await file.text();
    apply(() => content);
  };

  const startNew = () => {
    const current = flushTyping();
    if (current === STARTER) return;
    if (model.resources.length && !window.confirm(`Start a new template? The current one, with ${model.resources.length} resource${model.resources.length === 1 ? "" : "s"}, is replaced; Undo brings it back.`)) return;
    if (apply(() => STARTER)) select();
  };

  const [launching, setLaunching] = useState(false);
  const blocking = useMemo(() => errors.map((p) => `${p.path}: ${p.message}`), [errors]);
  const launch = async (name: string, rollback: boolean): Promise<string | undefined> => {
    try {
      const stack = await api.stacks.create.mutate({ name, template: flushTyping(), environment: environments, parameters: parametersToSend(paramSchema, paramValues), disableRollback: !rollback });
      router.push(`/stacks/${stack.id}`);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const runPreview = async () => {
    if (mode.kind !== "edit") return;
    const current = flushTyping();
    setBusy("preview");
    try {
      // The stack's environment, files and parameters left out (hidden ones are never shown, so never sent) carry over.
      const result = await api.stacks.preview.mutate({ stack: mode.stackId, template: current, parameters: parametersToSend(paramSchema, paramValues), existing: true });
      setPreview({ text: current, result });
      setNotice(undefined);
    } catch (e) {
      setNotice((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const runUpdate = async () => {
    if (mode.kind !== "edit") return;
    setBusy("update");
    try {
      await api.stacks.update.mutate({ stack: mode.stackId, template: flushTyping(), parameters: parametersToSend(paramSchema, paramValues), existing: true });
      router.push(`/stacks/${mode.stackId}`);
    } catch (e) {
      setNotice((e as Error).message);
      setBusy(undefined);
    }
  };

  // ---- the selected resource, for the inspector ----
  const selectedResource = selected ? model.resources.find((r) => r.name === selected) : undefined;
  const selectedProps = useMemo(() => (selectedResource ? resourceProperties(model.text, selectedResource.name) : undefined), [selectedResource, model.text]);

  const problemCount = errors.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const status = checking
    ? { tone: "idle", text: "Checking…" }
    : problemCount
      ? { tone: "failed", text: plural(problemCount, "problem") + (warnings.length ? `, ${plural(warnings.length, "warning")}` : "") }
      : warnings.length
        ? { tone: "warning", text: `Valid, ${plural(warnings.length, "warning")}` }
        : { tone: "complete", text: "Valid" };
  const previewCounts = preview && preview.text === text ? PREVIEW_CHANGES.filter((k) => k !== "unchanged").map((k) => [k, preview.result[k].length] as const) : undefined;

  return (
    <div className="designer" data-testid="designer">
      <div className="designer-bar">
        <div className="designer-title">
          {mode.kind === "edit" ? (
            <>
              <span className="crumbs">
                <a href={`/stacks/${mode.stackId}`}>{mode.stackName}</a> /
              </span>
              <h1>Edit template</h1>
            </>
          ) : (
            <h1>Designer</h1>
          )}
          <span className={`badge badge-${status.tone}`} data-testid="designer-status">
            {status.text}
          </span>
          {missingParameters > 0 && !checking && <span className="muted small">{missingParameters} parameter{missingParameters === 1 ? "" : "s"} to fill at launch</span>}
        </div>
        <div className="designer-tools">
          <button type="button" className="button button-small" onClick={draft.undo} disabled={!draft.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="button button-small" onClick={draft.redo} disabled={!draft.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <span className="tool-sep" />
          <button type="button" className="button button-small" onClick={() => void autoLayout()} disabled={!model.resources.length || layingOut}>
            {layingOut ? "Laying out…" : "Auto-layout"}
          </button>
          <span className="tool-sep" />
          {mode.kind === "new" && (
            <button type="button" className="button button-small" onClick={startNew} title="Start again from an empty template (Undo brings this one back)">
              New
            </button>
          )}
          <button type="button" className="button button-small" onClick={() => fileInput.current?.click()}>
            Import…
          </button>
          <button type="button" className="button button-small" onClick={exportYaml}>
            Export
          </button>
          <input ref={fileInput} type="file" hidden accept=".yaml,.yml,.template,.json,text/yaml" data-testid="designer-import" onChange={(e) => void importYaml(e.target.files?.[0]).then(() => (e.target.value = ""))} />
          <span className="tool-sep" />
          {mode.kind === "new" ? (
            <button type="button" className="button button-primary button-small" onClick={() => setLaunching(true)} disabled={!model.resources.length}>
              Launch…
            </button>
          ) : (
            <>
              <button type="button" className="button button-small" onClick={() => void runPreview()} disabled={!!busy || readOnly}>
                {busy === "preview" ? "Previewing…" : "Preview update"}
              </button>
              <button type="button" className="button button-primary button-small" onClick={() => void runUpdate()} disabled={!!busy || readOnly || problemCount > 0}>
                {busy === "update" ? "Updating…" : "Update stack"}
              </button>
            </>
          )}
        </div>
      </div>

      {(notice || readOnly || previewCounts || (preview && preview.text !== text)) && (
        <div className="designer-notes">
          {readOnly && (
            <div className="notice notice-error small" role="status">
              The YAML does not parse (line {parsed.syntaxErrors[0].line}: {parsed.syntaxErrors[0].message}). The canvas shows the last version that did and is read-only until the text is fixed.
            </div>
          )}
          {notice && (
            <div className="notice notice-error small" role="alert" data-testid="designer-notice">
              {notice}
              <button type="button" className="link-button notice-close" onClick={() => setNotice(undefined)} aria-label="Dismiss">
                ✕
              </button>
            </div>
          )}
          {previewCounts && (
            <div className="notice small preview-summary" data-testid="preview-summary">
              <strong>Update preview:</strong>
              {previewCounts.map(([k, n]) => (
                <span key={k} className={`preview-count change-${k}`}>
                  {n} {changeLabel(k)}
                </span>
              ))}
              <span className="muted">{preview!.result.unchanged.length} unchanged</span>
            </div>
          )}
          {preview && preview.text !== text && <div className="notice small muted">The template changed since the preview; preview again to see what the update will do.</div>}
        </div>
      )}

      <div className="designer-body">
        <div className="designer-left">
          <Palette types={types} loading={typesLoading} onAdd={(t) => void canvas.addOfType(t)} />
          {showOverview && nodes.length > 0 && <Overview boxes={overviewBoxes} />}
        </div>

        <div className="designer-canvas" ref={canvasRef} onDragOver={(e) => e.dataTransfer.types.includes(DRAG_TYPE) && (e.preventDefault(), (e.dataTransfer.dropEffect = "copy"))} onDrop={canvas.onDrop} data-testid="designer-canvas">
          <ReactFlow<DesignNode, Edge>
            nodes={nodes}
            edges={hidden ? NO_EDGES : edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={canvas.onConnect}
            onNodeClick={(_, n) => !n.id.startsWith(DELETED_PREFIX) && revealResource(nameOf(n.id))}
            onNodeDragStop={(_, __, dragged) => setPositions((p) => ({ ...p, ...Object.fromEntries(dragged.map((n) => [nameOf(n.id), n.position])) }))}
            onPaneClick={() => select()}
            deleteKeyCode={null}
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            onlyRenderVisibleElements={model.resources.length > LARGE_GRAPH}
            nodesConnectable={!readOnly}
            minZoom={0.2}
            maxZoom={2}
          >
            <Background gap={20} size={1} color="#e4e4df" />
            {model.resources.length > 1 && (
              <Panel position="top-left">
                <FindResource names={names} onFind={view.find} />
              </Panel>
            )}
            {farDrawing && (
              <>
                <Panel position="top-right" className="far-hint muted small" data-testid="far-hint">
                  Zoomed out: zoom in to move or connect resources
                </Panel>
                <ViewportPortal>
                  <FarGraph boxes={farDrawing.boxes} edges={farDrawing.lines} looks={farDrawing.looks} selected={selected && nodeId(selected)} onSelect={onFarSelect} />
                </ViewportPortal>
              </>
            )}
            <Controls showInteractive={false} />
          </ReactFlow>
          {model.resources.length === 0 && (
            <div className="canvas-empty">
              <p>
                <strong>An empty template.</strong>
                <br />
                Drag a resource type from the left, or click one, to add it. Draw from a node’s right edge to another node to make it depend on the first.
              </p>
            </div>
          )}
        </div>

        <div className="designer-side">
          <TemplatePanels
            tab={tab}
            onTab={setTab}
            sections={sections}
            environment={mode.kind === "new" ? { text: environment, onEdit: (edit) => applyOrError(edit, "environment") } : undefined}
            choices={choicesFor()}
            readOnly={readOnly}
            onEdit={applyOrError}
            selectionCount={selection.size}
            inspector={
              selectedResource &&
              selectedProps && (
                <Inspector
                  key={selectedResource.name}
                  name={selectedResource.name}
                  type={selectedResource.type}
                  schema={selectedResource.type ? schemas[selectedResource.type] : null}
                  values={selectedProps.values}
                  yaml={selectedProps.yaml}
                  problems={byResource.get(selectedResource.name) ?? []}
                  choices={choicesFor(selectedResource.name)}
                  readOnly={readOnly}
                  onRename={(to) => canvas.rename(selectedResource.name, to)}
                  onSetValue={(prop, v) => void apply((t) => setProperty(t, selectedResource.name, prop, v))}
                  onSetYaml={(prop, y) => applyOrError((t) => setPropertyYaml(t, selectedResource.name, prop, y))}
                  onDelete={() => {
                    apply((t) => deleteFromCanvas(t, [selectedResource.name], []));
                    select();
                  }}
                  onClose={() => select()}
                />
              )
            }
          />
          <section className="yaml-panel" aria-label="YAML">
            <div className="yaml-panel-head">
              <h2>YAML</h2>
              <span className="muted small">{model.resources.length} resource{model.resources.length === 1 ? "" : "s"}</span>
            </div>
            <YamlEditor value={text} externalSeq={draft.externalSeq} onChange={draft.onEditorChange} diagnostics={diagnostics} onUndo={draft.undo} onRedo={draft.redo} reveal={reveal} holdBack={!view.fitted && model.resources.length > LARGE_GRAPH} />
            {!checking && (errors.length > 0 || warnings.length > 0) && (
              <ul className="problem-list" data-testid="problem-list">
                {[...errors.map((p) => ({ p, w: false })), ...warnings.map((p) => ({ p, w: true }))].slice(0, 30).map(({ p, w }, i) => (
                  <li key={i} className={w ? "problem-warning" : undefined}>
                    <button type="button" onClick={() => p.line && setReveal((old) => ({ line: p.line!, seq: (old?.seq ?? 0) + 1 }))}>
                      <span className="problem-line">{p.line ?? ""}</span>
                      <span>
                        {w && <span className="problem-kind">Warning </span>}
                        <span className="problem-path">{p.path}</span> {p.message}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      {canvas.connecting && (
        <ConnectChooser
          from={canvas.connecting.from}
          to={canvas.connecting.to}
          fromSchema={schemas[model.resources.find((r) => r.name === canvas.connecting!.from)?.type ?? ""]}
          toSchema={schemas[model.resources.find((r) => r.name === canvas.connecting!.to)?.type ?? ""]}
          onChoose={canvas.connect}
          onCancel={canvas.cancelConnect}
        />
      )}
      {launching && <LaunchDialog schema={paramSchema} values={paramValues} onValues={setParamValues} blocking={blocking} onLaunch={launch} onCancel={() => setLaunching(false)} />}
    </div>
  );
}
