import { expect, test, type Page } from "@playwright/test";
import { parse } from "yaml";
import { connect, exported, layOut, node } from "./designerPage";

async function showStack(page: Page, id: string): Promise<{ stackStatus: string; parameters: Record<string, unknown> }> {
  const res = await page.request.get(`/api/trpc/stacks.show?input=${encodeURIComponent(JSON.stringify({ stack: id }))}`);
  return (await res.json()).result.data;
}

/** Launches the drawn template from the dialog and waits until the stack is created; returns its id. */
async function launchAndComplete(page: Page, prefix: string): Promise<string> {
  await page.getByRole("button", { name: "Launch…" }).click();
  const dialog = page.getByTestId("launch-dialog");
  await dialog.getByLabel("Stack name").fill(`${prefix}-${Date.now()}`);
  await dialog.getByRole("button", { name: "Launch" }).click();
  await page.waitForURL(/\/stacks\/[^/]+$/);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  await expect.poll(async () => (await showStack(page, id)).stackStatus, { timeout: 30_000 }).toBe("CREATE_COMPLETE");
  return id;
}

test("a stack drawn from the palette, with an edge and a get_attr, launches and completes", async ({ page }) => {
  await page.goto("/designer?fresh");
  const palette = page.getByTestId("palette");
  await palette.locator('[data-type="OS::Heat::RandomString"]').click();
  await palette.locator('[data-type="OS::Heat::TestResource"]').click();
  await palette.getByRole("searchbox").fill("testres");
  await palette.locator('[data-type="OS::Heat::TestResource"]').click();
  await expect(page.getByTestId("designer-node")).toHaveCount(3);
  await layOut(page);

  // random_string → test_resource as get_attr value into value
  await connect(page, "random_string", "test_resource");
  const chooser = page.getByTestId("connect-chooser");
  await chooser.getByLabel(/get_attr into a property/).check();
  await chooser.getByLabel("Attribute", { exact: true }).selectOption("value");
  await chooser.getByLabel("Property of the dependent resource").selectOption("value");
  await chooser.getByRole("button", { name: "Connect" }).click();
  // test_resource → test_resource_2 as depends_on (the default)
  await connect(page, "test_resource", "test_resource_2");
  await chooser.getByRole("button", { name: "Connect" }).click();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  const yaml = parse(await exported(page));
  expect(yaml.resources).toEqual({
    random_string: { type: "OS::Heat::RandomString" },
    test_resource: { type: "OS::Heat::TestResource", properties: { value: { get_attr: ["random_string", "value"] } } },
    test_resource_2: { type: "OS::Heat::TestResource", depends_on: ["test_resource"] },
  });
  await expect(page.getByTestId("designer-status")).toHaveText("Valid");
  await expect(page.getByTestId("yaml-editor")).toContainText("get_attr");

  await launchAndComplete(page, "drawn");
});

const COMMENTED = `heat_template_version: 2018-08-31
# Kept as written: this comment, the spacing and the quoting below.
description: >
  A template someone wrote by hand
  over two lines.

parameters:
  greeting:
    type: string      # what first says
    default: 'hello'

outputs:
  said:
    value: {get_attr: [first, output]}

resources:
  # the first one
  first:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: greeting}
      action_wait_secs: { create: 0 }
  second:
    type: OS::Heat::TestResource
    properties:
      value: {list_join: ['-', [{get_attr: [first, output]}, "world"]]}
    depends_on:
    - first
`;

test("a commented template survives a rename on the canvas, follows YAML edits, and undoes back to the original", async ({ page }) => {
  await page.goto("/designer?fresh");
  await page.getByTestId("designer-import").setInputFiles({ name: "hand.yaml", mimeType: "text/yaml", buffer: Buffer.from(COMMENTED) });
  await expect(page.getByTestId("designer-node")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await page.screenshot({ path: "test-results/designer-imported.png" });

  await node(page, "first").click();
  const name = page.getByTestId("inspector").getByLabel("Resource name");
  await expect(name).toHaveValue("first");
  await name.fill("origin");
  await name.press("Enter");
  await expect(node(page, "origin")).toBeVisible();
  await expect(node(page, "first")).toHaveCount(0);

  const renamed = await exported(page);
  expect(renamed).toBe(
    COMMENTED.replace("    value: {get_attr: [first, output]}\n", "    value: {get_attr: [origin, output]}\n")
      .replace("  first:\n", "  origin:\n")
      .replace("[{get_attr: [first, output]}", "[{get_attr: [origin, output]}")
      .replace("    - first\n", "    - origin\n"),
  );

  // Typing in the YAML: the canvas follows.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("  third:\n    type: OS::Heat::None\n    depends_on: [second]\n");
  await expect(node(page, "third")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);
  await page.screenshot({ path: "test-results/designer-edited.png" });

  // Undo every step: the typing, the rename, the import.
  await page.locator(".react-flow__pane").click();
  await page.keyboard.press("Control+z");
  await expect(node(page, "third")).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(node(page, "first")).toBeVisible();
  expect(await exported(page)).toBe(COMMENTED);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("designer-node")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Undo" })).toBeDisabled();
  // …and redo comes back.
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("designer-node")).toHaveCount(2);
});

const PICKING = `heat_template_version: 2018-08-31
parameters:
  greeting:
    type: string
    default: hello   # kept
resources:
  words:
    type: OS::Heat::RandomString
  echo:
    type: OS::Heat::TestResource
    properties:
      value: "typed by hand"
`;

const field = (page: Page, property: string) => page.getByTestId("inspector").locator(`[data-testid="property-field"][data-property="${property}"]`);

test("the get_attr picker offers the other resources and their type's attributes, draws the edge, and shows the function when reopened", async ({ page }) => {
  await page.goto("/designer?fresh");
  await page.getByTestId("designer-import").setInputFiles({ name: "pick.yaml", mimeType: "text/yaml", buffer: Buffer.from(PICKING) });
  await expect(page.getByTestId("designer-node")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);

  await node(page, "echo").click();
  const value = field(page, "value");
  await value.getByLabel("How value is given").selectOption("get_attr");
  await expect(value.getByLabel("Resource").locator("option")).toHaveText(["resource…", "words"]);
  await value.getByLabel("Resource").selectOption("words");
  await value.getByLabel("Attribute").selectOption("value");

  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await expect(page.locator(".react-flow__edge")).toContainText("value");
  expect(await exported(page)).toBe(PICKING.replace('      value: "typed by hand"\n', "      value: {get_attr: [words, value]}\n"));

  // Reopened, the property shows its function in the picker.
  await page.locator(".react-flow__pane").click();
  await node(page, "echo").click();
  await expect(field(page, "value").getByLabel("How value is given")).toHaveValue("get_attr");
  await expect(field(page, "value").getByLabel("Resource")).toHaveValue("words");
  await expect(field(page, "value").getByLabel("Attribute")).toHaveValue("value");

  // get_param lists the template's parameters.
  const client = field(page, "client_name");
  await client.getByLabel("How client_name is given").selectOption("get_param");
  await client.getByLabel("Parameter").selectOption("greeting");
  await expect(page.getByTestId("yaml-editor")).toContainText("client_name: {get_param: greeting}");
  await page.screenshot({ path: "test-results/designer-picker.png" });
});

test("the parameters and outputs panels add a parameter with a default and a constraint, an output reading it, and rename the parameter with its readers; the YAML follows and undo takes it back", async ({ page }) => {
  await page.goto("/designer?fresh");
  const tab = page.getByRole("tab", { name: /Parameters/ });
  await tab.click();
  const panel = page.getByTestId("parameters-panel");
  await panel.getByLabel("New parameter name").fill("flavor");
  await panel.getByLabel("New parameter type").selectOption("string");
  await panel.getByRole("button", { name: "Add parameter" }).click();
  await expect(tab).toContainText("1");
  await expect(page.getByTestId("yaml-editor")).toContainText("flavor:");

  const flavor = panel.locator('[data-testid="parameter"][data-name="flavor"]');
  await flavor.getByLabel("default", { exact: true }).fill("m1.small");
  await flavor.getByLabel("Description").fill("Size of the server");
  await flavor.getByLabel("Hidden").check();
  await flavor.getByLabel("Add a constraint to flavor").selectOption("allowed_values");
  const values = flavor.getByLabel("values, comma-separated");
  await values.fill("m1.small, m1.large");
  await values.press("Enter");
  await expect(page.getByTestId("yaml-editor")).toContainText("allowed_values: [m1.small, m1.large]");

  await page.getByRole("tab", { name: /Outputs/ }).click();
  const outputs = page.getByTestId("outputs-panel");
  await outputs.getByLabel("New output name").fill("chosen");
  await outputs.getByRole("button", { name: "Add output" }).click();
  const chosen = outputs.locator('[data-testid="output"][data-name="chosen"]');
  await chosen.getByLabel("How value is given").selectOption("get_param");
  await chosen.getByLabel("Parameter").selectOption("flavor");
  await expect(chosen.locator("summary")).toContainText("get_param: flavor");
  await page.screenshot({ path: "test-results/designer-panels.png" });

  // Renaming the parameter renames what reads it; the entry stays open under its new name.
  await tab.click();
  await flavor.locator("summary").click();
  await flavor.getByLabel("name", { exact: true }).fill("instance_type");
  await flavor.getByLabel("name", { exact: true }).press("Enter");
  await expect(panel.locator('[data-testid="parameter"][data-name="instance_type"]').getByLabel("name", { exact: true })).toHaveValue("instance_type");

  const yaml = parse(await exported(page));
  expect(yaml.parameters).toEqual({ instance_type: { type: "string", default: "m1.small", description: "Size of the server", hidden: true, constraints: [{ allowed_values: ["m1.small", "m1.large"] }] } });
  expect(yaml.outputs).toEqual({ chosen: { value: { get_param: "instance_type" } } });

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("yaml-editor")).not.toContainText("instance_type");
  await page.getByRole("tab", { name: /Outputs/ }).click();
  await chosen.locator("summary").click();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(chosen.locator("summary")).not.toContainText("get_param");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("output")).toHaveCount(0);
  await expect(page.getByTestId("yaml-editor")).not.toContainText("chosen");
});

const CONNECTED = `heat_template_version: 2018-08-31
resources:
  base:
    type: OS::Heat::RandomString
  web:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [base, value]}
  other:
    type: OS::Heat::None
`;

test("shift-click selects two connected resources; Ctrl+C, Ctrl+V copies them wired to each other in one undo step; box selection and Delete remove several", async ({ page }) => {
  await page.goto("/designer?fresh");
  await page.getByTestId("designer-import").setInputFiles({ name: "connected.yaml", mimeType: "text/yaml", buffer: Buffer.from(CONNECTED) });
  await expect(page.getByTestId("designer-node")).toHaveCount(3);
  await layOut(page);

  await node(page, "base").click();
  await node(page, "web").click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("selection-hint")).toHaveText(/2 resources selected/);
  // Delete pressed in a side panel is not for the canvas.
  await page.getByRole("tab", { name: /Parameters/ }).click();
  await page.keyboard.press("Delete");
  await page.getByRole("tab", { name: "Resource" }).click();
  await expect(page.getByTestId("designer-node")).toHaveCount(3);
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");

  await expect(page.getByTestId("designer-node")).toHaveCount(5);
  await expect(node(page, "base_2")).toBeVisible();
  await expect(node(page, "web_2")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  const pasted = parse(await exported(page));
  expect(pasted.resources.web_2).toEqual({ type: "OS::Heat::TestResource", properties: { value: { get_attr: ["base_2", "value"] } } });
  expect(pasted.resources.base_2).toEqual({ type: "OS::Heat::RandomString" });
  // The copies are the new selection: Delete removes both and leaves the originals.
  await expect(page.getByTestId("selection-hint")).toHaveText(/2 resources selected/);
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("designer-node")).toHaveCount(3);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("designer-node")).toHaveCount(5);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("designer-node")).toHaveCount(3);
  expect(await exported(page)).toBe(CONNECTED);

  // Shift-drag a box around everything, then Delete.
  const canvas = (await page.getByTestId("designer-canvas").boundingBox())!;
  await page.keyboard.down("Shift");
  await page.mouse.move(canvas.x + 5, canvas.y + 5);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width - 5, canvas.y + canvas.height - 5, { steps: 10 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await expect(page.getByTestId("selection-hint")).toHaveText(/3 resources selected/);
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("designer-node")).toHaveCount(0);
  expect(parse(await exported(page)).resources).toEqual({});
});

const MAPPED = `heat_template_version: 2018-08-31
parameters:
  flavor:
    type: string
    default: m1.small
resources:
  server:
    type: My::Server
  note:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: flavor}
`;

test("the environment tab maps a type and overrides a parameter default; validation and the launched stack use it, and undo takes it back", async ({ page }) => {
  await page.goto("/designer?fresh");
  await page.getByTestId("designer-import").setInputFiles({ name: "mapped.yaml", mimeType: "text/yaml", buffer: Buffer.from(MAPPED) });
  await expect(page.getByTestId("designer-status")).toHaveText("1 problem");

  await page.getByRole("tab", { name: "Environment" }).click();
  const env = page.getByTestId("environment-panel");
  await env.getByLabel("resource_registry").fill("My::Server: OS::Heat::None");
  await env.locator("#env-default-flavor").fill("m1.large");
  await env.locator("#env-default-flavor").press("Enter");
  await expect(page.getByTestId("designer-status")).toHaveText("Valid");
  await page.screenshot({ path: "test-results/designer-environment.png" });

  // Undo takes back the default, redo brings it again; the template's YAML never changed.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(env.locator("#env-default-flavor")).toHaveValue("");
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(env.locator("#env-default-flavor")).toHaveValue("m1.large");
  expect(await exported(page)).toBe(MAPPED);

  const stack = await showStack(page, await launchAndComplete(page, "env"));
  expect(stack.parameters.flavor).toBe("m1.large");
});

const CONDITIONAL = `heat_template_version: 2018-08-31
parameters:
  size: {type: number, default: 1}
conditions:
  big: {equals: [{get_param: size}, 9]}
resources:
  extra:
    type: OS::Heat::None
    condition: big
`;

test("the conditions panel adds a condition, edits its YAML, and renames one with what refers to it", async ({ page }) => {
  await page.goto("/designer?fresh");
  await page.getByTestId("designer-import").setInputFiles({ name: "conditional.yaml", mimeType: "text/yaml", buffer: Buffer.from(CONDITIONAL) });
  await expect(page.getByTestId("designer-node")).toHaveCount(1);
  await page.getByRole("tab", { name: /Conditions/ }).click();
  const panel = page.getByTestId("conditions-panel");
  await panel.getByLabel("New condition name").fill("small");
  await panel.getByRole("button", { name: "Add condition" }).click();
  const small = panel.getByLabel("Condition small");
  await small.fill("{not: big}");
  await small.blur();

  const big = panel.locator('[data-testid="condition"][data-name="big"]');
  await big.locator("summary").click();
  await big.getByLabel("name", { exact: true }).fill("large");
  await big.getByLabel("name", { exact: true }).press("Enter");
  await expect(panel.locator('[data-testid="condition"][data-name="large"] summary')).toContainText("equals");
  await expect(page.getByTestId("designer-status")).toHaveText("Valid");
  expect(await exported(page)).toBe(CONDITIONAL.replace("  big: {equals", "  large: {equals").replace("    condition: big\n", "    condition: large\n").replace("resources:\n", "  small: {not: large}\nresources:\n"));
});
