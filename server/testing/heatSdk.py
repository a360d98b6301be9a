#!/usr/bin/python3
"""openstacksdk's orchestration proxy against Kiln: creates, lists, finds and deletes a stack,
printing one JSON line per step for the test to check.
Usage: heatSdk.py CLOUD_NAME STACK_NAME   (a cloud of OS_CLIENT_CONFIG_FILE), or
       heatSdk.py http://HOST:PORT/v1/PROJECT STACK_NAME   (no authentication)"""
import json
import sys

import openstack

where, name = sys.argv[1:3]
if where.startswith("http"):
    conn = openstack.connect(auth_type="none", orchestration_endpoint_override=where)
else:
    conn = openstack.connect(cloud=where)
orch = conn.orchestration
template = {
    "heat_template_version": "2018-08-31",
    "parameters": {"value": {"type": "string"}},
    "resources": {"thing": {"type": "OS::Heat::TestResource", "properties": {"value": {"get_param": "value"}}}},
    "outputs": {"out": {"value": {"get_attr": ["thing", "output"]}}},
}


def say(step, **kw):
    print(json.dumps({"step": step, **kw}), flush=True)


created = orch.create_stack(name=name, template=template, parameters={"value": "from-sdk"})
say("created", id=created.id)
done = orch.wait_for_status(orch.get_stack(created.id), status="CREATE_COMPLETE", failures=["CREATE_FAILED"], interval=0.5, wait=60)
say("status", status=done.status)
say("listed", names=sorted(s.name for s in orch.stacks()))
found = orch.find_stack(name)
say("found", id=found.id, outputs=found.outputs)
orch.delete_stack(found)
orch.wait_for_delete(found, interval=0.5, wait=60)
say("deleted", gone=orch.find_stack(name) is None)
