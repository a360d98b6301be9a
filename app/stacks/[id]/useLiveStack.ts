"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { api } from "../../lib/trpc";
import { followStack } from "../../lib/notifications";
import { isNetworkFailure } from "../../lib/reachability";
import { applyAgents, applyNotifications, applyRead, applyTemplateGraph, emptyModel, hasSoftwareServers } from "./liveStackModel";
import { stackResourcesInput, stackShowInput } from "./stackQueries";

import type { StackView } from "./liveStackModel";

export type { StackView };
export type { AgentState, LiveResource, Span } from "./liveResources";

/**
 * The stack page's data: one load over tRPC, then socket.io only. Resource states come from
 * the notification stream (latest event per resource); a stack-level event or an unknown
 * resource triggers one re-read of the stack and its resources (never a timer).
 */
export function useLiveStack(idOrName: string) {
  // One mutable model for the page's life: notifications change it in place, `rev` says when.
  const [model] = useState(emptyModel);
  const [rev, setRev] = useState(0);
  const [error, setError] = useState<string>();
  // Notifications can arrive hundreds of times a second: the model takes each at once, but the
  // page re-renders at most once per animation frame.
  const frame = useRef<number | undefined>(undefined);
  const bump = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      // Rendered within this frame, so what arrived is painted with it, not a frame later.
      flushSync(() => setRev((r) => r + 1));
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current ?? 0), []);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [rootId, setRootId] = useState<string>();

  const load = useCallback(async () => {
    try {
      // Everything stored up to the newest event heard so far is in what this reads.
      const readAfter = model.lastId;
      const [stack, rows] = await Promise.all([api.stacks.show.query(stackShowInput(idOrName)), api.resources.list.query(stackResourcesInput(idOrName))]);
      applyRead(model, stack, rows, readAfter);
      // A nested stack's notifications travel with its root's: follow those, keep its own.
      setRootId(stack.rootStackId);
      bump();
      return stack;
    } catch (e) {
      const msg = (e as Error).message;
      if (/not found/i.test(msg)) model.gone = msg;
      // The server went away after the page was drawn: keep what it shows (the outage banner
      // says why it stands still); the notifications missed are sent on reconnection.
      else if (!(model.stack && isNetworkFailure(e))) setError(msg);
      bump();
    }
  }, [idOrName, bump]);

  // The agents of the tree's servers that Kiln's agent serves: read with the page, and again whenever a server
  // says something (the agent gateway tells of each connection and disconnection once stored).
  const agentsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const loadAgents = useCallback(async () => {
    try {
      applyAgents(model, await api.software.agents.query({ stack: idOrName }));
      bump();
    } catch {
      /* the nodes show no agent state until the next read */
    }
  }, [idOrName, bump]);
  const scheduleAgents = useCallback(() => {
    clearTimeout(agentsTimer.current);
    agentsTimer.current = setTimeout(() => void loadAgents(), 100);
  }, [loadAgents]);
  useEffect(() => () => clearTimeout(agentsTimer.current), []);

  const scheduleRefresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void load().then(() => hasSoftwareServers(model) && scheduleAgents()), 250);
  }, [load, scheduleAgents]);

  // First load, then the template's graph: it still knows resources that were deleted (rollback).
  useEffect(() => {
    let cancelled = false;
    void load().then(async (stack) => {
      if (hasSoftwareServers(model)) void loadAgents();
      if (!stack?.template || cancelled) return;
      try {
        // Only the graph is wanted: the cloud need not be asked about what the template names.
        applyTemplateGraph(model, (await api.templates.validate.mutate({ template: stack.template, cloudLookups: false })).graph);
        if (!cancelled) bump();
      } catch {
        /* the graph from the resource rows is enough */
      }
    });
    return () => {
      cancelled = true;
      clearTimeout(refreshTimer.current);
    };
  }, [load, loadAgents, bump]);

  useEffect(() => {
    if (!rootId) return;
    window.__kilnStreamIds = model.streamIds;
    return followStack(rootId, (items) => {
      const after = applyNotifications(model, items);
      if (after.agents) scheduleAgents();
      if (after.refresh) scheduleRefresh();
      bump();
    }, model.lastId);
  }, [rootId, bump, scheduleRefresh, scheduleAgents]);

  const setStack = useCallback(
    (s: StackView) => {
      model.stack = s;
      bump();
    },
    [bump],
  );

  return { model, rev, error, setStack, reload: load };
}

declare global {
  interface Window {
    /** Ids of the notifications the stack page holds, in arrival order: end-to-end tests check there is no gap or duplicate. */
    __kilnStreamIds?: number[];
  }
}
