"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { PROJECT_COOKIE } from "../../server/identity/credentials";
import { LOGIN_PAGE } from "../../server/identity/loginPage";
import { api, signOut, type ApiOutput } from "../lib/trpc";
import { ConnectionIndicator } from "./ConnectionIndicator";

type Whoami = ApiOutput["session"]["whoami"];

/** The header's right side for a signed-in user: the pages, live status, the project (a switcher when there are several) and signing out. */
export function SessionBar() {
  const pathname = usePathname();
  const [me, setMe] = useState<Whoami>();
  const onLoginPage = pathname === LOGIN_PAGE;
  useEffect(() => {
    if (!onLoginPage) void api.session.whoami.query().then(setMe, () => {});
  }, [onLoginPage]);
  if (onLoginPage) return null;

  const switchTo = (projectId: string) => {
    // Not a secret (the session cookie is): the project every request of this browser acts in.
    document.cookie = `${PROJECT_COOKIE}=${encodeURIComponent(projectId)}; Path=/; SameSite=Lax; Max-Age=31536000`;
    // A stack page belongs to the project it was opened in: start again from the list.
    window.location.assign("/");
  };
  return (
    <>
      <nav className="topnav">
        <Link href="/">Stacks</Link>
        <Link href="/stacks/new">New stack</Link>
        <Link href="/designer">Designer</Link>
        {me?.project && <Link href="/cloud">Cloud</Link>}
        {me?.isAdmin && me.managesUsers && <Link href="/admin">Administration</Link>}
      </nav>
      <ConnectionIndicator />
      {me && (
        <div className="account" data-testid="account">
          {me.projects.length > 1 ? (
            <label className="account-project">
              <span>Project</span>
              <select className="input input-small" value={me.project?.id ?? ""} onChange={(e) => switchTo(e.target.value)}>
                {me.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            me.project && (
              <span className="account-project">
                Project <strong>{me.project.name}</strong>
              </span>
            )
          )}
          <span className="account-user" title={me.project ? `${me.project.role} in ${me.project.name}` : undefined}>
            Signed in as{" "}
            {me.managesUsers ? (
              <Link href="/account" title="Your account: change your password">
                <strong>{me.userName}</strong>
              </Link>
            ) : (
              <strong>{me.userName}</strong>
            )}
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      )}
    </>
  );
}
