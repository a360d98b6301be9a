import type { Database } from "../store/database";

export interface StackSummary {
  id: string;
  name: string;
  action: string;
  status: string;
  statusReason: string;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  resourceCount: number;
}

/** Top-level stacks of a project, newest first, with their resource counts. */
export async function listStacks(db: Database, projectId: string): Promise<StackSummary[]> {
  const stacks = await db.prisma.stack.findMany({
    where: { projectId, parentResourceId: null, deletedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (stacks.length === 0) return [];
  const counts = await db.prisma.resource.groupBy({
    by: ["stackId"],
    where: { stackId: { in: stacks.map((s) => s.id) } },
    _count: { _all: true },
  });
  const byStack = new Map(counts.map((c) => [c.stackId, c._count._all]));
  return stacks.map((s) => ({
    id: s.id,
    name: s.name,
    action: s.action,
    status: s.status,
    statusReason: s.statusReason,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    resourceCount: byStack.get(s.id) ?? 0,
  }));
}
