/**
 * What one stack tree may use, so that no single template can take the engine down. Set by
 * the operator (server/config.ts) and handed to the engine with its ports; the defaults are
 * Heat's.
 */
export interface EngineLimits {
  /**
   * Resources in a whole tree of nested stacks, counted from its root (Heat's
   * max_resources_per_stack); -1 for no limit.
   */
  maxResourcesPerStack: number;
  /** Minutes a stack operation may take when the stack sets no timeout_mins (Heat's stack_action_timeout). */
  stackTimeoutMins: number;
}

export const DEFAULT_LIMITS: EngineLimits = { maxResourcesPerStack: 1000, stackTimeoutMins: 60 };
