/**
 * The designer's scale figure: from navigating to a designer page holding a 500-resource
 * template (the browser's draft) to its nodes laid out on the canvas, with a real server
 * (UI included) in a child process and Debian's headless Chromium. Needs `npm run build`.
 */
import fs from "node:fs";
import { referenceWeb } from "./templates";
import { signedInPage, withUiSession, type Report } from "./uiSession";

const RESOURCES = 500;

/**
 * True once the page holds the whole template and the canvas shows it laid out: every node
 * React Flow draws is measured (so visible), in view and at its own place, not stacked at the
 * origin. A graph this large is drawn only where it is in view; the count drawn is reported.
 */
const ON_CANVAS = `(() => {
  if (document.querySelector(".yaml-panel-head .muted")?.textContent !== "${RESOURCES} resources") return false;
  const canvas = document.querySelector('[data-testid="designer-canvas"]')?.getBoundingClientRect();
  const nodes = document.querySelectorAll(".react-flow__node");
  if (!canvas || nodes.length === 0) return false;
  const places = new Set();
  for (const n of nodes) {
    const box = n.getBoundingClientRect();
    if (n.style.visibility === "hidden" || box.right < canvas.left || box.left > canvas.right || box.bottom < canvas.top || box.top > canvas.bottom) return false;
    places.add(n.style.transform);
  }
  return places.size === nodes.length && nodes.length;
})()`;

export async function benchDesigner(report: Report) {
  await withUiSession("designer figure", async (server, browser) => {
    const page = await signedInPage(server, browser);
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
    const drawn = Number(await (await page.waitForFunction(ON_CANVAS, undefined, { timeout: 60_000, polling: 20 })).jsonValue());
    const onCanvas = Date.now() - t0;
    if (cdp) {
      const { profile } = await cdp.send("Profiler.stop");
      fs.writeFileSync(`${process.env.KILN_BENCH_PROFILE}.designer`, JSON.stringify(profile));
    }
    report(`designer_${RESOURCES}_resource_template_on_canvas`, onCanvas, "ms", { nodes_drawn_in_view: drawn, target: "< 2000", viewport: "1920x1080" });
  });
}
