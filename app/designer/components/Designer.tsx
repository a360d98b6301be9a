"use client";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { useRouter } from "next/navigation";
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useUpdateNodeInternals,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { LARGE_GRAPH } from "../../lib/elk";
import { attributeNames } from "../model/schemaChoices";
import "../designer.css";
import { api, type ApiOutput } from "../../lib/trpc";
import type { ParameterSchema } from "../../stacks/new/ParameterField";
import {
  addReference,
  addResource,
  deleteFromCanvas,
  freeResourceName,
  readTemplate,
  renameResource,
  resourceProperties,
  setProperty,
  setPropertyYaml,
  type HotModel,
  type HotRef,
  type NewReference,
} from "../model/hotDocument";
import { record, redo, startHistory, undo, type History } from "../model/history";
import { NODE_H, NODE_W, layeredLayout, type Direction, loadPositions, nextFreeSpot, savePositions, type Positions } from "../model/layout";
import { readEnvironment } from "../model/environment";
import { readSections } from "../model/sections";
import { isMissingParameter, lineDiagnostics, problemsByResource, type Problem } from "../model/problems";
import { ConnectChooser } from "./ConnectChooser";
import { Inspector, type TypeSchema } from "./Inspector";
import type { Choices } from "./IntrinsicPicker";
import type { SideTab } from "./SideTabs";
import { TemplatePanels } from "./TemplatePanels";
import { useCopyPaste } from "./useCopyPaste";
import { LaunchDialog } from "./LaunchDialog";
import { parametersToSend, type ParameterValues } from "../../stacks/new/parametersToSend";
import { DRAG_TYPE, Palette, type PaletteType } from "./Palette";
import { ResourceNode, sameNodeData, type DesignNode, type DesignNodeData, type PreviewChange } from "./ResourceNode";
import { YamlEditor } from "./YamlEditor";

export type DesignerMode = { kind: "new" } | { kind: "edit"; stackId: string; stackName: string; parameters: Record<string, unknown> };

type Validation = ApiOutput["templates"]["validate"];
type Preview = ApiOutput["stacks"]["preview"];

/**
 * A resource's node id on the canvas: its name URI-encoded, never raw. React Flow puts node ids
 * into CSS selectors unescaped (handle lookups while a connection is dragged), and a name may
 * hold a quote or a backslash; encoded, it holds neither.
 */
const nodeId = (name: string) => encodeURIComponent(name);
const nameOf = (id: string) => decodeURIComponent(id);

export const DRAFT_KEY = "kiln.designer.draft";
export const ENVIRONMENT_KEY = "kiln.designer.environment";

/** What one undo step restores: the template and the environment it is launched with. */
type Draft = { template: string; environment: string };
const sameDraft = (a: Draft, b: Draft) => a.template === b.template && a.environment === b.environment;
const nodeTypes = { resource: ResourceNode };
/** Shift adds to the selection as well (shift-drag draws a selection box, React Flow's default). */
const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];
const TYPING_DELAY = 150;
const VALIDATE_DELAY = 250;

export function Designer(props: { mode: DesignerMode; initialText: string; initialEnvironment?: string }) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

function DesignerInner({ mode, initialText, initialEnvironment = "" }: { mode: DesignerMode; initialText: string; initialEnvironment?: string }) {
  const router = useRouter();
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const storeKey = mode.kind === "edit" ? `stack.${mode.stackId}` : "draft";

  // ---- the text, its history, and the editor's not-yet-committed typing ----
  const histRef = useRef<History<Draft>>(startHistory({ template: initialText, environment: initialEnvironment }));
  const [hist, setHistState] = useState<History<Draft>>(histRef.current);
  const [externalSeq, setExternalSeq] = useState(0);
  const typing = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const setHist = useCallback((h: History<Draft>, external: boolean) => {
    histRef.current = h;
    setHistState(h);
    if (external) setExternalSeq((s) => s + 1);
  }, []);
  const flushTyping = useCallback(() => {
    const t = typing.current;
    if (t) {
      clearTimeout(t.timer);
      typing.current = null;
      setHist(record(histRef.current, { ...histRef.current.present, template: t.text }, sameDraft), false);
    }
    return histRef.current.present.template;
  }, [setHist]);
  const onEditorChange = useCallback(
    (text: string) => {
      if (typing.current) clearTimeout(typing.current.timer);
      typing.current = { text, timer: setTimeout(flushTyping, TYPING_DELAY) };
    },
    [flushTyping],
  );
  const [notice, setNotice] = useState<string>();
  /** Every canvas, inspector and panel change: one Document edit of the latest text (or environment), one undo step. */
  const apply = useCallback(
    (edit: (text: string) => string, part: keyof Draft = "template"): boolean => {
      flushTyping();
      const now = histRef.current.present;
      try {
        const next = { ...now, [part]: edit(now[part]) };
        setHist(record(histRef.current, next, sameDraft), part === "template");
        setNotice(undefined);
        return true;
      } catch (e) {
        setNotice((e as Error).message);
        return false;
      }
    },
    [flushTyping, setHist],
  );
  /** apply, for forms: the error message when the edit was refused. */
  const applyOrError = useCallback(
    (edit: (text: string) => string, part: keyof Draft = "template"): string | undefined => {
      let error: string | undefined;
      apply((t) => {
        try {
          return edit(t);
        } catch (e) {
          error = (e as Error).message;
          throw e;
        }
      }, part);
      return error;
    },
    [apply],
  );
  const doUndo = useCallback(() => {
    flushTyping();
    setHist(undo(histRef.current), true);
  }, [flushTyping, setHist]);
  const doRedo = useCallback(() => {
    flushTyping();
    setHist(redo(histRef.current), true);
  }, [flushTyping, setHist]);
  useEffect(
    () => () => {
      if (typing.current) clearTimeout(typing.current.timer);
    },
    [],
  );

  const text = hist.present.template;
  const environment = hist.present.environment;
  const environments = useMemo(() => (environment.trim() ? [environment] : []), [environment]);
  useEffect(() => {
    if (mode.kind === "new") localStorage.setItem(DRAFT_KEY, text);
  }, [mode.kind, text]);
  useEffect(() => {
    if (mode.kind === "new") localStorage.setItem(ENVIRONMENT_KEY, environment);
  }, [mode.kind, environment]);

  // ---- the graph, read from the document (the last readable one while the YAML is broken) ----
  const parsed = useMemo(() => readTemplate(text), [text]);
  const lastGood = useRef<HotModel>(parsed);
  if (parsed.syntaxErrors.length === 0) lastGood.current = parsed;
  const model = parsed.syntaxErrors.length ? lastGood.current : parsed;
  const readOnly = parsed.syntaxErrors.length > 0;
  const names = useMemo(() => model.resources.map((r) => r.name), [model]);
  const refById = useMemo(() => new Map(model.refs.map((r) => [r.id, r])), [model]);

  // ---- validation ----
  const [paramValues, setParamValues] = useState<ParameterValues>(() =>
    mode.kind === "edit" ? Object.fromEntries(Object.entries(mode.parameters).filter(([k, v]) => !k.startsWith("OS::") && v !== "******").map(([k, v]) => [k, typeof v === "boolean" ? v : typeof v === "string" ? v : JSON.stringify(v)])) : {},
  );
  const [validation, setValidation] = useState<{ text: string; result: Validation }>();
  // The launch form starts from the environment's parameter_defaults where it has them, as the stack will.
  const envDefaults = useMemo(() => readEnvironment(environment).defaults.values, [environment]);
  const paramSchema = useMemo(
    () => ((validation?.result.parameters.schema ?? []) as ParameterSchema[]).map((p) => (p.name in envDefaults ? { ...p, default: envDefaults[p.name] } : p)),
    [validation, envDefaults],
  );
  const validateSeq = useRef(0);
  useEffect(() => {
    const seq = ++validateSeq.current;
    const timer = setTimeout(() => {
      api.templates.validate
        .mutate({ template: text.trim() ? text : " ", environment: environments, parameters: parametersToSend(paramSchema, paramValues) })
        .then((result) => seq === validateSeq.current && setValidation({ text, result }))
        .catch(() => undefined);
    }, VALIDATE_DELAY);
    return () => clearTimeout(timer);
    // paramSchema follows validation; re-validating on it would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, environments, paramValues]);
  const checking = validation?.text !== text;
  const allErrors = useMemo(() => (validation?.result.errors ?? []) as Problem[], [validation]);
  const errors = useMemo(() => allErrors.filter((p) => !isMissingParameter(p)), [allErrors]);
  const warnings = useMemo(() => (validation?.result.warnings ?? []) as Problem[], [validation]);
  const byResource = useMemo(() => problemsByResource(errors, names), [errors, names]);
  const diagnostics = useMemo(
    () => (validation ? [...lineDiagnostics(validation.text, errors, "error"), ...lineDiagnostics(validation.text, warnings, "warning")] : []),
    [validation, errors, warnings],
  );

  // ---- resource types ----
  const [types, setTypes] = useState<PaletteType[]>([]);
  const [typesLoading, setTypesLoading] = useState(true);
  useEffect(() => {
    api.resourceTypes.list
      .query({ withDescription: true })
      .then((t) => setTypes(t as PaletteType[]))
      .catch(() => setNotice("Could not load the resource types."))
      .finally(() => setTypesLoading(false));
  }, []);
  const [schemas, setSchemas] = useState<Record<string, TypeSchema | null>>({});
  const asked = useRef(new Map<string, Promise<TypeSchema | null>>());
  const schemaOf = useCallback((type: string): Promise<TypeSchema | null> => {
    let p = asked.current.get(type);
    if (!p) {
      p = api.resourceTypes.show
        .query({ type })
        .then((s) => s as unknown as TypeSchema)
        .catch(() => null);
      asked.current.set(type, p);
      void p.then((s) => setSchemas((old) => ({ ...old, [type]: s })));
    }
    return p;
  }, []);
  useEffect(() => {
    for (const r of model.resources) if (r.type) void schemaOf(r.type);
  }, [model, schemaOf]);

  // ---- what intrinsic-function pickers can point at ----
  const sections = useMemo(() => readSections(model.text), [model.text]);
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

  // ---- positions: remembered per template, laid out when nothing is known ----
  const [positions, setPositionsState] = useState<Positions>(() => loadPositions(storeKey));
  const setPositions = useCallback(
    (update: (p: Positions) => Positions) =>
      setPositionsState((old) => {
        const next = update(old);
        savePositions(storeKey, next);
        return next;
      }),
    [storeKey],
  );
  const fitPending = useRef(false);
  const directionKey = `kiln.designer.direction.${storeKey}`;
  const [direction, setDirection] = useState<Direction>(() => (localStorage.getItem(directionKey) === "DOWN" ? "DOWN" : "RIGHT"));
  useEffect(() => localStorage.setItem(directionKey, direction), [direction, directionKey]);
  const autoLayout = useCallback(
    async (fit = true) => {
      const box = canvasRef.current?.getBoundingClientRect();
      const dir: Direction = box && box.width < 900 ? "DOWN" : "RIGHT";
      setDirection(dir);
      const laid = await layeredLayout(
        model.resources.map((r) => r.name),
        model.refs,
        dir,
      );
      setPositions((old) => ({ ...old, ...laid }));
      if (fit) fitPending.current = true;
    },
    [model, setPositions],
  );
  useEffect(() => {
    const missing = model.resources.filter((r) => !positions[r.name]);
    if (!missing.length) return;
    if (missing.length === model.resources.length) void autoLayout(true);
    else
      setPositions((old) => {
        const next = { ...old };
        for (const r of missing) next[r.name] = nextFreeSpot(Object.fromEntries(model.resources.filter((x) => next[x.name]).map((x) => [x.name, next[x.name]])));
        return next;
      });
  }, [model, positions, autoLayout, setPositions]);

  // ---- preview (edit mode) ----
  const [preview, setPreview] = useState<{ text: string; result: Preview }>();
  const [busy, setBusy] = useState<string>();
  const changes = useMemo(() => {
    const out = new Map<string, { change: PreviewChange; reason?: string }>();
    if (!preview || preview.text !== text) return out;
    for (const change of ["added", "updated", "replaced", "deleted", "unchanged"] as const) {
      for (const e of preview.result[change]) out.set(e.resource_name, { change, reason: e.reason });
    }
    return out;
  }, [preview, text]);

  // ---- React Flow nodes and edges, rebuilt from the model, keeping React Flow's own state ----
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const select = useCallback((...names: string[]) => setSelection(new Set(names)), []);
  const selected = selection.size === 1 ? [...selection][0] : undefined;
  const [tab, setTab] = useState<SideTab>("resource");
  const [nodes, setNodes] = useState<DesignNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  useEffect(() => {
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      const out: DesignNode[] = [];
      for (const r of model.resources) {
        const before = old.get(nodeId(r.name));
        const position = positions[r.name] ?? before?.position;
        // Drawn once placed: at the origin it would only jump when the layout lands.
        if (!position) continue;
        const c = changes.get(r.name);
        const isSelected = selection.has(r.name);
        const fresh: DesignNodeData = { direction, name: r.name, type: r.type, problems: (byResource.get(r.name) ?? []).map((p) => p.message), checking, change: c?.change, changeReason: c?.reason };
        const data = before && sameNodeData(before.data, fresh) ? before.data : fresh;
        // An unchanged node keeps its object, so React Flow and the node's memo skip it.
        if (before && before.data === data && before.position === position && before.selected === isSelected) {
          out.push(before);
          continue;
        }
        // A node React Flow measured but has not reported yet keeps that measure: without it React Flow forgets the
        // node's handles and never measures them again, and its edges are not drawn.
        const measured = before?.measured ?? flow.getInternalNode(nodeId(r.name))?.measured;
        out.push({ ...(before ?? {}), ...(measured?.width !== undefined && { measured }), id: nodeId(r.name), type: "resource", position, selected: isSelected, data });
      }
      const known = { ...positions };
      for (const [name, c] of changes) {
        if (c.change !== "deleted" || names.includes(name)) continue;
        const spot = known[name] ?? nextFreeSpot(known);
        known[name] = spot;
        out.push({
          id: `deleted:${nodeId(name)}`,
          type: "resource",
          position: spot,
          draggable: false,
          selectable: false,
          connectable: false,
          deletable: false,
          data: { direction, name, type: preview?.result.deleted.find((d) => d.resource_name === name)?.resource_type ?? "", problems: [], checking: false, change: "deleted" },
        });
      }
      return out;
    });
  }, [model, positions, byResource, checking, changes, selection, names, preview, direction, flow]);
  // A node replaced while React Flow was still measuring it loses its handles, and nothing
  // measures them again (its size did not change), so its edges would not be drawn: measure
  // every drawn node that has none, once the frame holding it is laid out.
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    const t = requestAnimationFrame(() => {
      const unmeasured = nodes.filter((n) => !flow.getInternalNode(n.id)?.internals.handleBounds && document.querySelector(`.react-flow__node[data-id="${CSS.escape(n.id)}"]`));
      // React Flow puts these ids into its selector unescaped: nodeId's ids hold nothing to escape.
      if (unmeasured.length) updateNodeInternals(unmeasured.map((n) => n.id));
    });
    return () => cancelAnimationFrame(t);
  }, [nodes, flow, updateNodeInternals]);
  useEffect(() => {
    setEdges((prev) => {
      const sel = new Set(prev.filter((e) => e.selected).map((e) => e.id));
      return model.refs.map((r) => ({
        id: r.id,
        source: nodeId(r.from),
        target: nodeId(r.to),
        selected: sel.has(r.id),
        className: `dedge dedge-${r.kind}`,
        label: r.kind === "depends_on" ? undefined : r.kind === "get_attr" ? `${r.attribute ?? "get_attr"}` : "id",
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 4,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        data: { kind: r.kind },
      }));
    });
  }, [model]);

  useEffect(() => {
    if (!fitPending.current) return;
    const t = setTimeout(() => {
      fitPending.current = false;
      void flow.fitView({ padding: 0.2, maxZoom: 1.1 });
    }, 60);
    return () => clearTimeout(t);
  }, [nodes, flow]);

  const onNodesChange = useCallback((c: NodeChange<DesignNode>[]) => {
    setNodes((n) => applyNodeChanges(c, n));
    const picks = c.filter((change) => change.type === "select");
    if (picks.length)
      setSelection((old) => {
        const next = new Set(old);
        for (const change of picks) if (change.selected) next.add(nameOf(change.id));
        else next.delete(nameOf(change.id));
        return next;
      });
    if (c.some((change) => change.type === "select" && change.selected)) setTab("resource");
  }, []);
  const onEdgesChange = useCallback((c: EdgeChange[]) => setEdges((e) => applyEdgeChanges(c, e)), []);

  // ---- canvas edits ----
  const [reveal, setReveal] = useState<{ line: number; seq: number }>();
  const revealResource = (name: string) => {
    const r = model.resources.find((x) => x.name === name);
    if (r) setReveal((old) => ({ line: r.line, seq: (old?.seq ?? 0) + 1 }));
  };

  const addOfType = useCallback(
    async (type: string, at?: { x: number; y: number }) => {
      if (readOnly) return setNotice("Fix the YAML syntax first: the canvas follows once the text parses.");
      const schema = await schemaOf(type);
      const required = schema ? Object.entries(schema.properties).filter(([, p]) => p.required && p.default === undefined).map(([name, p]) => ({ name, type: p.type })) : [];
      const name = freeResourceName(flushTyping(), type);
      let spot = at;
      if (!spot) {
        const box = canvasRef.current?.getBoundingClientRect();
        const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 40, y: 40 };
        spot = { x: center.x - NODE_W / 2, y: center.y - NODE_H / 2 };
        const taken = Object.values(positions);
        while (taken.some((p) => Math.abs(p.x - spot!.x) < NODE_W / 2 && Math.abs(p.y - spot!.y) < NODE_H)) spot = { x: spot.x + 24, y: spot.y + NODE_H + 16 };
      }
      setPositions((p) => ({ ...p, [name]: spot! }));
      if (apply((t) => addResource(t, name, type, required))) {
        select(name);
        setTab("resource");
      }
    },
    [readOnly, schemaOf, flushTyping, flow, positions, setPositions, apply, select],
  );

  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    void addOfType(type, { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 });
  };

  const [connecting, setConnecting] = useState<{ from: string; to: string }>();
  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target || c.source === c.target || c.source.startsWith("deleted:") || c.target.startsWith("deleted:")) return;
      setConnecting({ from: nameOf(c.source), to: nameOf(c.target) });
    },
    [readOnly],
  );
  const connect = (ref: NewReference) => {
    if (!connecting) return;
    if (apply((t) => addReference(t, connecting.from, connecting.to, ref))) setConnecting(undefined);
  };

  /** The Delete key: every selected resource and reference, as one edit. */
  const deleteSelection = useCallback((): boolean => {
    const gone = names.filter((n) => selection.has(n));
    const refs = edges.filter((e) => e.selected).map((e) => refById.get(e.id)).filter((r): r is HotRef => !!r);
    if (!gone.length && !refs.length) return false;
    if (apply((t) => deleteFromCanvas(t, gone, refs))) select();
    return true;
  }, [names, selection, edges, refById, apply, select]);

  const rename = (from: string, to: string): string | undefined => {
    const error = applyOrError((t) => renameResource(t, from, to));
    if (error) return error;
    setPositions((p) => (p[from] ? { ...p, [to]: p[from] } : p));
    select(to);
    return undefined;
  };

  const { copy: copySelection, paste } = useCopyPaste({ names, selection, current: flushTyping, apply, setPositions, select });

  // ---- keyboard: Delete, copy and paste on the canvas; one undo history for canvas, panels and editor ----
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.defaultPrevented || target?.closest(".cm-editor") || target?.matches("input, textarea, select")) return;
      const key = e.key.toLowerCase();
      if (!(e.ctrlKey || e.metaKey)) {
        // Delete pressed in a side panel or the palette is not meant for the canvas' selection.
        const forCanvas = !target?.closest(".designer-side, .palette");
        if ((key === "delete" || key === "backspace") && forCanvas && !readOnly && deleteSelection()) e.preventDefault();
        return;
      }
      if (key === "z" && !e.shiftKey) {
        e.preventDefault();
        doUndo();
      } else if ((key === "z" && e.shiftKey) || key === "y") {
        e.preventDefault();
        doRedo();
      } else if ((key === "c" && copySelection()) || (key === "v" && paste())) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [doUndo, doRedo, copySelection, paste, deleteSelection, readOnly]);

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
  const missingParams = allErrors.length - errors.length;
  const status = checking ? { tone: "idle", text: "Checking…" } : problemCount ? { tone: "failed", text: `${problemCount} problem${problemCount === 1 ? "" : "s"}` } : { tone: "complete", text: "Valid" };
  const previewCounts = preview && preview.text === text ? (["added", "updated", "replaced", "deleted"] as const).map((k) => [k, preview.result[k].length] as const) : undefined;

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
          {missingParams > 0 && !checking && <span className="muted small">{missingParams} parameter{missingParams === 1 ? "" : "s"} to fill at launch</span>}
        </div>
        <div className="designer-tools">
          <button type="button" className="button button-small" onClick={doUndo} disabled={!hist.past.length} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="button button-small" onClick={doRedo} disabled={!hist.future.length} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <span className="tool-sep" />
          <button type="button" className="button button-small" onClick={() => void autoLayout(true)} disabled={!model.resources.length}>
            Auto-layout
          </button>
          <span className="tool-sep" />
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
                  {n} {k}
                </span>
              ))}
              <span className="muted">{preview!.result.unchanged.length} unchanged</span>
            </div>
          )}
          {preview && preview.text !== text && <div className="notice small muted">The template changed since the preview; preview again to see what the update will do.</div>}
        </div>
      )}

      <div className="designer-body">
        <Palette types={types} loading={typesLoading} onAdd={(t) => void addOfType(t)} />

        <div className="designer-canvas" ref={canvasRef} onDragOver={(e) => e.dataTransfer.types.includes(DRAG_TYPE) && (e.preventDefault(), (e.dataTransfer.dropEffect = "copy"))} onDrop={onDrop} data-testid="designer-canvas">
          <ReactFlow<DesignNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onNodeClick={(_, n) => !n.id.startsWith("deleted:") && revealResource(nameOf(n.id))}
            onNodeDragStop={(_, __, dragged) => setPositions((p) => ({ ...p, ...Object.fromEntries(dragged.map((n) => [nameOf(n.id), n.position])) }))}
            onPaneClick={() => select()}
            deleteKeyCode={null}
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            onlyRenderVisibleElements={model.resources.length > LARGE_GRAPH}
            nodesConnectable={!readOnly}
            fitView
            fitViewOptions={{ padding: 0.25, maxZoom: 1.1 }}
            minZoom={0.2}
            maxZoom={2}
          >
            <Background gap={20} size={1} color="#e4e4df" />
            <MiniMap pannable zoomable style={{ width: 150, height: 96 }} nodeStrokeWidth={2} nodeColor={(n) => ((n.data as { problems?: string[] }).problems?.length ? "#e07a72" : "#c9c9c2")} />
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
                  onRename={(to) => rename(selectedResource.name, to)}
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
            <YamlEditor value={text} externalSeq={externalSeq} onChange={onEditorChange} diagnostics={diagnostics} onUndo={doUndo} onRedo={doRedo} reveal={reveal} />
            {!checking && (errors.length > 0 || warnings.length > 0) && (
              <ul className="problem-list" data-testid="problem-list">
                {[...errors.map((p) => ({ p, w: false })), ...warnings.map((p) => ({ p, w: true }))].slice(0, 30).map(({ p, w }, i) => (
                  <li key={i} className={w ? "problem-warning" : undefined}>
                    <button type="button" onClick={() => p.line && setReveal((old) => ({ line: p.line!, seq: (old?.seq ?? 0) + 1 }))}>
                      {p.line ? <span className="problem-line">{p.line}</span> : null}
                      <span className="problem-path">{p.path}</span> {p.message}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      {connecting && (
        <ConnectChooser
          from={connecting.from}
          to={connecting.to}
          fromSchema={schemas[model.resources.find((r) => r.name === connecting.from)?.type ?? ""]}
          toSchema={schemas[model.resources.find((r) => r.name === connecting.to)?.type ?? ""]}
          onChoose={connect}
          onCancel={() => setConnecting(undefined)}
        />
      )}
      {launching && <LaunchDialog schema={paramSchema} values={paramValues} onValues={setParamValues} blocking={blocking} onLaunch={launch} onCancel={() => setLaunching(false)} />}
    </div>
  );
}
