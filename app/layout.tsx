import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { OutageBanner } from "./components/OutageBanner";
import { SessionBar } from "./components/SessionBar";
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
          <SessionBar />
        </header>
        <OutageBanner />
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
