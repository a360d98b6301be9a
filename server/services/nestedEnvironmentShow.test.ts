import { expect, it } from "vitest";
import { testEngine } from "../engine/testing/harness";
import { mergedEnvironment } from "./environment";
import { showStack } from "./stacks";
import type { Runtime } from "./runtime";

it("a nested stack whose inherited environment is over 512 KB shows its inherited parameter_defaults (environment show, stack show)", async () => {
  const t = testEngine();
  const half = (from: number) => "parameter_defaults:\n" + Array.from({ length: 8000 }, (_, i) => `  p${from + i}: ${"v".repeat(30)}\n`).join("");
  const environment = ["resource_registry:\n  My::Prov: prov.yaml\n", half(0), half(8000) + "  label: deep\n"];
  const files = { "prov.yaml": "heat_template_version: 2018-08-31\nparameters:\n  label: { type: string, default: none }\noutputs:\n  label: { value: { get_param: label } }\n" };
  const stack = await t.engine.createStack({ projectId: "p", name: "big", template: "heat_template_version: 2018-08-31\nresources:\n  prov: { type: My::Prov }\n", environment, files });
  await t.settle();
  const nested = (await t.store.childStacks([(await t.store.findResources(stack.id, "prov"))[0]!.id]))[0]!;
  expect(nested.status).toBe("COMPLETE");
  const raw = (await t.store.getTemplate(nested.templateId!))!;
  expect(raw.environment[0]!.length).toBeGreaterThan(512 * 1024);
  // GET .../environment of the nested stack (heatStacks.shownEnvironment reads this):
  expect((mergedEnvironment(raw.environment, nested).parameter_defaults as Record<string, unknown>).label).toBe("deep");
  // stack show of the nested stack: the value the parameter took
  const shown = await showStack({ store: t.store, engine: t.engine } as unknown as Runtime, nested, { seesCredentials: true });
  expect(shown.defaultedParameters.label).toBe("deep");
});
