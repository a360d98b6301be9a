/**
 * A project whose credentials change acts in the new cloud from the next step on; what its
 * stacks made stays where it was made. A delete must then leave alone whatever the new cloud
 * holds by the same name: a key pair is known by its name only, so a member could otherwise make
 * a key of another's name in a cloud of their own, move the project to the server's cloud, and
 * have Kiln delete the key that is there (another project's, or the operator's). Nor may a
 * create take as its own a container another made: its delete (PurgeOnDelete) would empty it.
 */
import { describe, expect, it } from "vitest";
import { trpc } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";
import { KeystoneSession } from "./keystoneSession";
import { adminCredentials, cloudEnv, cloudSkipped, makeKeystoneUser, memberCredentials, testCloud } from "./testing/testCloud";

describe.skipIf(cloudSkipped)("a stack deletes only what it made", () => {
  // The minicloud's Keystone is on loopback, which only KILN_AUTH_URL_ALLOW_INTERNAL lets a project name.
  const server = serverForSuite("moved-credentials", { ...cloudEnv(), KILN_AUTH_URL_ALLOW_INTERNAL: "1" });

  it("deleting its key pair leaves the key of that name in the cloud it acts in now", { timeout: 180_000 }, async () => {
    await testCloud();
    const name = `kiln-victim-${Date.now().toString(36)}`;
    const serverCloud = new KeystoneSession(memberCredentials());
    // Someone else's key in the server's cloud.
    await serverCloud.call("compute", "POST", "/os-keypairs", { body: { keypair: { name } } });
    const own = await makeKeystoneUser("kiln-moved");
    const m = memberCredentials();
    const ownCloud = new KeystoneSession({ ...m, auth: { kind: "password", username: own.name, password: own.password, userDomainId: "default", projectName: own.projectName, projectDomainId: "default" } });
    try {
      await trpc(server(), "cloud.set", { entry: { auth: { auth_url: m.authUrl, username: own.name, password: own.password, user_domain_id: "default", project_name: own.projectName, project_domain_id: "default" }, region_name: m.region } }, "mutation");
      const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "moved", template: `heat_template_version: 2018-08-31\nresources:\n  key: { type: OS::Nova::KeyPair, properties: { name: ${name} } }\n` }, "mutation");
      const status = async () => (await trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id }));
      await expect.poll(async () => (await status()).stackStatus, { timeout: 60_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
      expect((await status()).stackStatus, (await status()).statusReason).toBe("CREATE_COMPLETE");
      expect((await ownCloud.call("compute", "GET", `/os-keypairs/${name}`, { expect: [404] })).status).toBe(200);

      await trpc(server(), "cloud.unset", {}, "mutation");
      await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
      await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 60_000 }).toBe(false);
      expect((await serverCloud.call("compute", "GET", `/os-keypairs/${name}`, { expect: [404] })).status, "the server's cloud's key is still there").toBe(200);
    } finally {
      await serverCloud.call("compute", "DELETE", `/os-keypairs/${name}`, { expect: [404] });
      await ownCloud.call("compute", "DELETE", `/os-keypairs/${name}`, { expect: [404] }).catch(() => undefined);
      await own.remove();
    }
  });

  it("a key pair it made is still deleted with its stack", { timeout: 120_000 }, async () => {
    await testCloud();
    const name = `kiln-own-${Date.now().toString(36)}`;
    const serverCloud = new KeystoneSession(memberCredentials());
    const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "own-key", template: `heat_template_version: 2018-08-31\nresources:\n  key: { type: OS::Nova::KeyPair, properties: { name: ${name} } }\n` }, "mutation");
    try {
      await expect.poll(async () => (await trpc<{ stackStatus: string }>(server(), "stacks.show", { stack: stack.id })).stackStatus, { timeout: 60_000 }).toBe("CREATE_COMPLETE");
      expect((await serverCloud.call("compute", "GET", `/os-keypairs/${name}`, { expect: [404] })).status).toBe(200);
      await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
      await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 60_000 }).toBe(false);
      expect((await serverCloud.call("compute", "GET", `/os-keypairs/${name}`, { expect: [404] })).status).toBe(404);
    } finally {
      await serverCloud.call("compute", "DELETE", `/os-keypairs/${name}`, { expect: [404] });
    }
  });

  it("deleting its container (PurgeOnDelete) leaves the container of that name, and what it holds, in the cloud it acts in now", { timeout: 180_000 }, async () => {
    await testCloud();
    const name = `kiln-victim-${Date.now().toString(36)}`;
    const serverCloud = await othersContainer(name);
    // The project's own credentials: another OpenStack project (the admin's), where the name is free.
    const a = adminCredentials();
    const auth = a.auth as { username?: string; password?: string; projectName?: string; userDomainName?: string; userDomainId?: string; projectDomainName?: string; projectDomainId?: string };
    try {
      await trpc(server(), "cloud.set", { entry: { auth: { auth_url: a.authUrl, username: auth.username, password: auth.password, project_name: auth.projectName, user_domain_id: auth.userDomainId ?? "default", project_domain_id: auth.projectDomainId ?? "default" }, region_name: a.region } }, "mutation");
      const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "moved-container", template: `heat_template_version: 2018-08-31\nresources:\n  box: { type: OS::Swift::Container, properties: { name: ${name}, PurgeOnDelete: true } }\n` }, "mutation");
      const status = async () => (await trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id }));
      await expect.poll(async () => (await status()).stackStatus, { timeout: 60_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
      expect((await status()).stackStatus, (await status()).statusReason).toBe("CREATE_COMPLETE");

      await trpc(server(), "cloud.unset", {}, "mutation");
      await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
      await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 60_000 }).toBe(false);
      expect((await serverCloud.call("object-store", "GET", `/${name}/precious`, { expect: [404] })).status, "the server's cloud's object is still there").toBe(200);
    } finally {
      await trpc(server(), "cloud.unset", {}, "mutation").catch(() => undefined);
      await serverCloud.call("object-store", "DELETE", `/${name}/precious`, { expect: [404] });
      await serverCloud.call("object-store", "DELETE", `/${name}`, { expect: [404] });
      const admin = new KeystoneSession(a);
      await admin.call("object-store", "DELETE", `/${name}`, { expect: [404, 409] });
    }
  });

  it("a container of the name given that is already there (another's) is refused at create, and deleting the stack leaves it and what it holds", { timeout: 120_000 }, async () => {
    await testCloud();
    const name = `kiln-taken-${Date.now().toString(36)}`;
    const serverCloud = await othersContainer(name);
    try {
      const stack = await trpc<{ id: string }>(server(), "stacks.create", { name: "taken-container", template: `heat_template_version: 2018-08-31\nresources:\n  box: { type: OS::Swift::Container, properties: { name: ${name}, PurgeOnDelete: true } }\n` }, "mutation");
      const status = async () => (await trpc<{ stackStatus: string; statusReason: string }>(server(), "stacks.show", { stack: stack.id }));
      await expect.poll(async () => (await status()).stackStatus, { timeout: 60_000 }).toMatch(/^CREATE_(COMPLETE|FAILED)$/);
      expect((await status()).statusReason).toContain(`Container '${name}' already exists`);
      await trpc(server(), "stacks.delete", { stack: stack.id }, "mutation");
      await expect.poll(async () => (await trpc<{ id: string }[]>(server(), "stacks.list", {})).some((s) => s.id === stack.id), { timeout: 60_000 }).toBe(false);
      expect((await serverCloud.call("object-store", "GET", `/${name}/precious`, { expect: [404] })).status).toBe(200);
    } finally {
      await serverCloud.call("object-store", "DELETE", `/${name}/precious`, { expect: [404] });
      await serverCloud.call("object-store", "DELETE", `/${name}`, { expect: [404] });
    }
  });
});

/** Someone else's container in the server's cloud, holding one object ("precious"); answers that cloud's session. */
async function othersContainer(name: string): Promise<KeystoneSession> {
  const serverCloud = new KeystoneSession(memberCredentials());
  await serverCloud.call("object-store", "PUT", `/${name}`);
  await serverCloud.call("object-store", "PUT", `/${name}/precious`, { body: "keep me" });
  return serverCloud;
}
