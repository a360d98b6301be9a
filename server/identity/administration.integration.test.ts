/**
 * Managing users and projects on a real server, as an administrator does from the admin page or
 * the CLI: what each change does to whoever is signed in, and the changes refused because they
 * would lock everyone out or orphan stacks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signIn, trpc, type Endpoint } from "../testing/serverProcess";
import { serverForSuite } from "../testing/suiteServer";

const server = serverForSuite("administration", { KILN_WORKERS: "1" });
const template = "heat_template_version: 2018-08-31\nresources:\n  a: { type: OS::Heat::None }\n";

let admin: Endpoint;
const as = (token: string): Endpoint => ({ url: admin.url, token });
const whoami = (e: Endpoint) => trpc<{ userName: string }>(e, "session.whoami", undefined);

beforeAll(async () => {
  admin = { url: server().url, token: server().token };
  await trpc(admin, "projects.create", { name: "team" }, "mutation");
  for (const user of ["ann", "bob"]) {
    await trpc(admin, "users.create", { name: user, password: `${user}-password` }, "mutation");
    await trpc(admin, "roles.add", { user, project: "team", role: "member" }, "mutation");
  }
});

describe("users", () => {
  it("lists every user with their roles", async () => {
    const users = await trpc<{ name: string; roles: { project: string; role: string }[] }[]>(admin, "users.list", undefined);
    expect(users.map((u) => u.name)).toEqual(["admin", "ann", "bob"]);
    expect(users.find((u) => u.name === "ann")!.roles).toEqual([{ project: "team", role: "member" }]);
    expect(users.find((u) => u.name === "admin")!.roles).toEqual([{ project: "admin", role: "admin" }]);
  });

  it("an administrator's new password for a user ends that user's sessions; only the new one signs in", async () => {
    const before = as(await signIn(admin.url, "ann", "ann-password"));
    await expect(whoami(before)).resolves.toMatchObject({ userName: "ann" });
    await trpc(admin, "users.setPassword", { name: "ann", password: "ann-new-password" }, "mutation");
    await expect(whoami(before)).rejects.toThrow(/^Sign in first/);
    await expect(signIn(admin.url, "ann", "ann-password")).rejects.toThrow();
    await expect(whoami(as(await signIn(admin.url, "ann", "ann-new-password")))).resolves.toMatchObject({ userName: "ann" });
  });

  it("a user changes their own password knowing the current one; their other sessions end, this one goes on", async () => {
    const here = as(await signIn(admin.url, "bob", "bob-password"));
    const elsewhere = as(await signIn(admin.url, "bob", "bob-password"));
    await expect(trpc(here, "users.changeOwnPassword", { current: "wrong", password: "bob-new-password" }, "mutation")).rejects.toThrow("The current password is not right");
    await expect(whoami(elsewhere)).resolves.toMatchObject({ userName: "bob" });
    await trpc(here, "users.changeOwnPassword", { current: "bob-password", password: "bob-new-password" }, "mutation");
    await expect(whoami(here)).resolves.toMatchObject({ userName: "bob" });
    await expect(whoami(elsewhere)).rejects.toThrow(/^Sign in first/);
    await expect(signIn(admin.url, "bob", "bob-new-password")).resolves.toBeTruthy();
  });

  it("refuses deleting yourself, or the last administrator; a deleted user's sessions end", async () => {
    await expect(trpc(admin, "users.delete", { name: "admin" }, "mutation")).rejects.toThrow("You cannot delete the user you are signed in as");
    await trpc(admin, "users.create", { name: "carol", password: "carol-password" }, "mutation");
    await trpc(admin, "roles.add", { user: "carol", project: "admin", role: "admin" }, "mutation");
    const carol = as(await signIn(admin.url, "carol", "carol-password"));
    // One of two administrators may give the role up; the last one may not, nor be demoted.
    await expect(trpc(carol, "roles.remove", { user: "carol", project: "admin" }, "mutation")).resolves.toBeTruthy();
    await expect(trpc(admin, "roles.remove", { user: "admin", project: "admin" }, "mutation")).rejects.toThrow(
      "Taking admin's role in admin would leave no administrator; make someone else an admin first",
    );
    await expect(trpc(admin, "roles.add", { user: "admin", project: "admin", role: "member" }, "mutation")).rejects.toThrow(/would leave no administrator/);
    await trpc(admin, "users.delete", { name: "carol" }, "mutation");
    await expect(whoami(carol)).rejects.toThrow(/^Sign in first/);
    const users = await trpc<{ name: string }[]>(admin, "users.list", undefined);
    expect(users.map((u) => u.name)).not.toContain("carol");
  });
});

describe("projects", () => {
  it("lists projects with their member counts; deletes only an empty one", async () => {
    const projects = await trpc<{ name: string; members: number }[]>(admin, "projects.list", undefined);
    expect(projects.find((p) => p.name === "team")).toMatchObject({ members: 2 });
    const ann = as(await signIn(admin.url, "ann", "ann-new-password"));
    await trpc(ann, "stacks.create", { name: "keep-me", template }, "mutation");
    await expect(trpc(admin, "projects.delete", { name: "team" }, "mutation")).rejects.toThrow("Project team still has 1 stack; delete them first");
    await expect(trpc(ann, "stacks.list", undefined)).resolves.toHaveLength(1);

    await trpc(admin, "projects.create", { name: "scratch" }, "mutation");
    await trpc(admin, "roles.add", { user: "ann", project: "scratch", role: "reader" }, "mutation");
    await trpc(admin, "projects.delete", { name: "scratch" }, "mutation");
    const after = await trpc<{ name: string }[]>(admin, "projects.list", undefined);
    expect(after.map((p) => p.name)).not.toContain("scratch");
    const annRoles = (await trpc<{ name: string; roles: { project: string }[] }[]>(admin, "users.list", undefined)).find((u) => u.name === "ann")!.roles;
    expect(annRoles.map((r) => r.project)).toEqual(["team"]);
  });

  it("a removed role takes the project away from the user at once", async () => {
    const bob = as(await signIn(admin.url, "bob", "bob-new-password"));
    await expect(trpc(bob, "stacks.list", undefined)).resolves.toBeTruthy();
    await trpc(admin, "roles.remove", { user: "bob", project: "team" }, "mutation");
    await expect(trpc(bob, "stacks.list", undefined)).rejects.toThrow();
    await expect(trpc(admin, "roles.remove", { user: "bob", project: "team" }, "mutation")).rejects.toThrow("bob has no role in team");
  });
});
