import type { CreateStackRequest } from "../engine/convergence/engine";
import type { Caller } from "../identity/identity";
import type { Runtime } from "../services/runtime";

/**
 * Creates a root stack for a caller, from tRPC or Heat's API alike: in Keystone mode, for a
 * project without credentials of its own, through a new trust from the caller (Heat's
 * behaviour; clouds/stackTrusts.ts), so its resources act as the caller after their token ends.
 */
export async function createStackFor(rt: Runtime, caller: Caller, req: CreateStackRequest) {
  const trustor = caller.keystone;
  if (!rt.stackTrusts || !trustor || (await rt.projectClouds.get(req.projectId))) return rt.engine.createStack(req);
  return rt.stackTrusts.creating({ token: trustor.token, userId: caller.userId, roles: trustor.roles }, req.projectId, (id) => rt.engine.createStack({ ...req, id }));
}
