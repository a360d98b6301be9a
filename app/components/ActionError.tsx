"use client";
import { useCallback, useEffect, useState } from "react";
import { isNetworkFailure, useReachable } from "../lib/reachability";

interface Failure {
  message: string;
  /** The request got no answer: once the server is back, the message is stale. */
  network: boolean;
}

/** The last action's failure: set from what the action threw; a failure to reach the server clears itself on recovery. */
export function useActionError(): [Failure | undefined, (e: unknown) => void, () => void] {
  const [failure, setFailure] = useState<Failure>();
  const reachable = useReachable();
  useEffect(() => {
    if (reachable) setFailure((f) => (f?.network ? undefined : f));
  }, [reachable]);
  const fail = useCallback((e: unknown) => setFailure({ message: e instanceof Error ? e.message : String(e), network: isNetworkFailure(e) }), []);
  const clear = useCallback(() => setFailure(undefined), []);
  return [failure, fail, clear];
}

/** An action's failure, with a button to dismiss it. */
export function ActionError({ failure, onDismiss }: { failure: Failure | undefined; onDismiss: () => void }) {
  if (!failure) return null;
  return (
    <p className="notice notice-error notice-dismissable" role="alert" data-testid="action-error">
      <span>{failure.network ? `Kiln could not be reached: ${failure.message}` : failure.message}</span>
      <button type="button" className="notice-dismiss" onClick={onDismiss} aria-label="Dismiss">
        ✕
      </button>
    </p>
  );
}
