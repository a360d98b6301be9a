/** The part of a stack operation after the request: `--wait` for it, then say how it ended. */
import { TRPCClientError } from "@trpc/client";
import { EXIT } from "../exit";
import { waitForStack, type StackOperation, type WaitResult } from "../wait";
import type { CliContext, Server } from "./context";

const ALL_KINDS = ["event", "warning", "debug", "progress"] as const;
const PAGE = 5000;

/** The newest notification id of the stack and its nested stacks: where a wait starts from. */
export async function lastNotificationId(s: Server, stackId: string): Promise<number> {
  let afterId = 0;
  for (;;) {
    const page = await s.call(s.api.events.list.query({ stack: stackId, nested: true, kinds: [...ALL_KINDS], afterId, limit: PAGE }));
    if (page.length) afterId = page.at(-1)!.id;
    if (page.length < PAGE) return afterId;
  }
}

export interface FollowRequest {
  stackId: string;
  stackName: string;
  operation: StackOperation;
  rollback: boolean;
  afterId: number;
  json: boolean;
  /** Show debug messages too. */
  debug?: boolean;
}

/** Prints the events live (to stderr when stdout is for JSON) and returns how the operation ended. */
export async function follow(ctx: CliContext, s: Server, req: FollowRequest): Promise<WaitResult> {
  const print = req.json ? ctx.io.err : ctx.io.out;
  return waitForStack({
    url: s.url,
    auth: await s.auth(),
    stackId: req.stackId,
    operation: req.operation,
    rollback: req.rollback,
    afterId: req.afterId,
    debug: req.debug,
    onLine: (line) => print(line),
    currentState: async () => {
      try {
        const st = await s.api.stacks.show.query({ stack: req.stackId });
        return { action: st.action, status: st.status, reason: st.statusReason };
      } catch (e) {
        if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === "NOT_FOUND") return "gone";
        throw e;
      }
    },
  });
}

/** The exit code for a finished wait, after saying (on stderr) why it failed. */
export function reportOutcome(ctx: CliContext, name: string, result: WaitResult): number {
  if (result.ok) return EXIT.ok;
  ctx.io.err(`kiln: stack ${name} ${result.stackStatus}: ${result.reason}`);
  return EXIT.failed;
}
