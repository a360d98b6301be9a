/**
 * A wait condition completes when a server runs the handle's `curl_cli` against Kiln, as cloud
 * init scripts do; a wrong token is refused.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { trpc } from "./testing/serverProcess";
import { serverForSuite } from "./testing/suiteServer";

const run = promisify(execFile);
const server = serverForSuite("signal");

const template = `
heat_template_version: 2018-08-31
resources:
  handle: { type: OS::Heat::WaitConditionHandle }
  wait:
    type: OS::Heat::WaitCondition
    properties: { handle: { get_resource: handle }, timeout: 60 }
outputs:
  data: { value: { get_attr: [wait, data] } }
`;

it("curl_cli signals the handle and the wait condition completes at once", async () => {
  const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "waiter", template }, "mutation");
  let curl = "";
  await expect
    .poll(async () => {
      const handle = await trpc<{ resourceStatus: string; attributes: { curl_cli?: string } }>(server(), "resources.show", { stack: stack.id, resource: "handle" });
      curl = handle.attributes.curl_cli ?? "";
      return handle.resourceStatus;
    })
    .toBe("CREATE_COMPLETE");

  const forged = curl.replace(/X-Auth-Token: [0-9a-f]+/, "X-Auth-Token: forged");
  const refused = await run("sh", ["-c", `${forged} -s -o /dev/null -w '%{http_code}' --data-binary '{"status": "SUCCESS"}'`]);
  expect(refused.stdout).toBe("401");

  const accepted = await run("sh", ["-c", `${curl} -s --data-binary '{"status": "SUCCESS", "data": "booted"}'`]);
  expect(accepted.stdout).toContain("HTTP/1.1 200");
  await expect
    .poll(async () => (await trpc<{ stackStatus: string }>(server(), "stacks.show", { stack: stack.id })).stackStatus, { timeout: 10_000 })
    .toBe("CREATE_COMPLETE");
  const outputs = await trpc<{ outputKey: string; outputValue: string }[]>(server(), "outputs.list", { stack: stack.id });
  expect(JSON.parse(outputs[0]!.outputValue)).toEqual({ "1": "booted" });
});
