import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionIndicator } from "./components/ConnectionIndicator";
import "./globals.css";

export const metadata: Metadata = {
  title: "Kiln",
  description: "Orchestration with Heat templates, converged live",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <img src="/favicon.svg" alt="" width={22} height={22} />
            Kiln
          </Link>
          <nav className="topnav">
            <Link href="/">Stacks</Link>
            <Link href="/stacks/new">New stack</Link>
            <Link href="/designer">Designer</Link>
          </nav>
          <ConnectionIndicator />
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
