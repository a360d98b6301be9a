import type { StackRecord } from "../../engine/ports";

/** A top-level stack row as the store keeps it, for tests that need one without running the engine. */
export function stackRecord(over: Partial<StackRecord> & Pick<StackRecord, "id" | "projectId" | "name">): StackRecord {
  const now = new Date().toISOString();
  return {
    parentResourceId: null,
    rootStackId: over.id,
    stackPath: "",
    action: "CREATE",
    status: "COMPLETE",
    statusReason: "",
    templateId: null,
    prevTemplateId: null,
    parameters: {},
    currentTraversal: null,
    disableRollback: true,
    timeoutMins: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}
