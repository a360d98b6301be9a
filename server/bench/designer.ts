/**
 * The designer's scale figure: from navigating to a designer page holding a 500-resource
 * template (the browser's draft) to all its nodes laid out on the canvas, with a real server
 * (UI included) in a child process and Debian's headless Chromium. Needs `npm run build`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../testing/serverProcess";
import { referenceWeb } from "./templates";

type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const RESOURCES = 500;

/** True once every node is drawn (measured, so visible) at its own place: laid out, not stacked at the origin. */
const LAID_OUT = `(() => {
  const nodes = document.querySelectorAll(".react-flow__node");
  if (nodes.length < ${RESOURCES}) return false;
  const places = new Set();
  for (const n of nodes) {
    if (n.style.visibility === "hidden") return false;
    places.add(n.style.transform);
  }
  return places.size === nodes.length;
})()`;

export async function benchDesigner(report: Report) {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("designer figure skipped: run `npm run build` first");
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-designer-"));
  const server = await startServer(`file:${path.join(dir, "kiln.db")}`, { KILN_NO_UI: "0" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // The template is the browser's draft, with no remembered positions: the page lays it out.
    await page.addInitScript({
      content: `try { localStorage.setItem("kiln.designer.draft", ${JSON.stringify(referenceWeb(RESOURCES))}); localStorage.removeItem("kiln.designer.positions.draft"); } catch {}`,
    });
    const cdp = process.env.KILN_BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    const t0 = Date.now();
    await page.goto(`${server.url}/designer`);
    await page.waitForFunction(`document.querySelectorAll(".react-flow__node").length >= ${RESOURCES}`, undefined, { timeout: 60_000, polling: 20 });
    const inDom = Date.now() - t0;
    await page.waitForFunction(LAID_OUT, undefined, { timeout: 60_000, polling: 20 });
    const onCanvas = Date.now() - t0;
    if (cdp) {
      const { profile } = await cdp.send("Profiler.stop");
      fs.writeFileSync(`${process.env.KILN_BENCH_PROFILE}.designer`, JSON.stringify(profile));
    }
    report(`designer_${RESOURCES}_resource_template_on_canvas`, onCanvas, "ms", { nodes_in_page_ms: inDom, target: "< 2000", viewport: "1920x1080" });
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
