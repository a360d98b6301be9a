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
 * origin; zoomed far out, the far drawing's boxes in view are each at their own place. A graph
 * this large is drawn only where it is in view; the count in view is reported.
 */
const ON_CANVAS = `(() => {
  if (document.querySelector(".yaml-panel-head .muted")?.textContent !== "${RESOURCES} resources") return false;
  const canvas = document.querySelector('[data-testid="designer-canvas"]')?.getBoundingClientRect();
  const nodes = document.querySelectorAll(".react-flow__node, .far-node");
  if (!canvas || nodes.length === 0) return false;
  const places = new Set();
  let inView = 0;
  for (const n of nodes) {
    const box = n.getBoundingClientRect();
    const out = box.right < canvas.left || box.left > canvas.right || box.bottom < canvas.top || box.top > canvas.bottom;
    if (n.classList.contains("far-node") && out) continue;
    if (n.style.visibility === "hidden" || out) return false;
    inView++;
    places.add(Math.round(box.left) + "," + Math.round(box.top));
  }
  return inView > 0 && places.size === inView && inView;
})()`;

export async function benchDesigner(report: Report) {
  await withUiSession("designer figure", async (server, browser) => {
    const page = await signedInPage(server, browser);
    // The template is the browser's draft, with no remembered positions: the page lays it out.
    await page.addInitScript({
      content: `try { localStorage.setItem("kiln.designer.draft", ${JSON.stringify(referenceWeb(RESOURCES))}); localStorage.removeItem("kiln.designer.positions.draft"); } catch {}`,
    });
    // In the page: the first frame in which the canvas holds the template (checked just before
    // each frame is drawn, from the navigation's start); Playwright's own wait polls a page that
    // may be busy with what follows that frame (its YAML editor).
    await page.addInitScript({
      content: `(() => {
        const check = () => {
          let drawn = false;
          try { drawn = !!(${ON_CANVAS}); } catch {}
          if (drawn) window.__designerPainted = performance.now();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })()`,
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const profiling = !!process.env.KILN_BENCH_PROFILE;
    if (profiling) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    const t0 = Date.now();
    await page.goto(`${server.url}/designer`);
    const seen = await page.waitForFunction(ON_CANVAS, undefined, { timeout: 60_000, polling: 20 });
    // Timed as the wait answers: reading its value is one more round trip to the page's main
    // thread, which may by then be busy with what follows the canvas (its YAML editor).
    const onCanvas = Date.now() - t0;
    const drawn = Number(await seen.jsonValue());
    const painted = Number(await (await page.waitForFunction("window.__designerPainted")).jsonValue());
    // The page's own CPU time until then (its main thread, its renderer process): on a shared
    // machine the wall clock measures the neighbours as much as the page.
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    if (profiling) {
      const { profile } = await cdp.send("Profiler.stop");
      fs.writeFileSync(`${process.env.KILN_BENCH_PROFILE}.designer`, JSON.stringify(profile));
    }
    // The YAML editor is built after the canvas has drawn: when it can be typed in, too.
    await page.waitForSelector('[data-testid="yaml-editor"]', { timeout: 60_000 });
    const editorReady = Date.now() - t0;
    report(`designer_${RESOURCES}_resource_template_on_canvas`, onCanvas, "ms", {
      nodes_drawn_in_view: drawn,
      painted_ms: Math.round(painted),
      yaml_editor_ready_ms: editorReady,
      main_thread_cpu_ms: Math.round(metric("ThreadTime") * 1000),
      renderer_cpu_ms: Math.round(metric("ProcessTime") * 1000),
      dom_nodes: metric("Nodes"),
      target: "< 1000",
      viewport: "1920x1080",
      note: "from goto to Playwright seeing the template on the canvas; painted_ms: from the navigation's start to the frame that first shows it, read in the page",
    });
  });
}
