/**
 * The user_data of a SOFTWARE_CONFIG server, read back the way cloud-init reads it (Python's
 * email parser walking the message): whatever the template's user_data is, every part comes
 * out whole, with its type and file name.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { softwareConfigUserData } from "./novaSoftwareConfig";

const WALK = `
import email, json, sys
message = email.message_from_string(sys.stdin.read())
print(json.dumps([{"type": p.get_content_type(), "filename": p.get_filename(), "content": p.get_payload(decode=True).decode()}
                  for p in message.walk() if not p.is_multipart()]))
`;
const walk = (text: string) => JSON.parse(execFileSync("python3", ["-c", WALK], { input: text, encoding: "utf8" })) as { type: string; filename: string | null; content: string }[];

describe("a SOFTWARE_CONFIG server's user_data", () => {
  it("carries a non-ASCII script and a metadata line longer than MIME allows unchanged", () => {
    const metadata = { "os-collect-config": { request: { metadata_url: `http://kiln/${"x".repeat(2000)}` } }, deployments: [] };
    const parts = walk(softwareConfigUserData("#!/bin/sh\necho 'héllo wörld'", metadata));
    expect(parts.map((p) => p.type)).toEqual(["text/cloud-config", "text/part-handler", "text/plain", "text/x-cfninitdata"]);
    expect(parts[2]!.content).toBe("#!/bin/sh\necho 'héllo wörld'");
    expect(JSON.parse(parts[3]!.content)).toEqual(metadata);
  });

  it("keeps each part of a user_data that is a multipart message already", () => {
    const own = [
      'Content-Type: multipart/mixed; boundary="own"',
      "MIME-Version: 1.0",
      "",
      "--own",
      'Content-Type: text/x-shellscript; charset="us-ascii"',
      'Content-Disposition: attachment; filename="first.sh"',
      "",
      "#!/bin/sh\necho first",
      "--own",
      'Content-Type: text/cloud-config; charset="us-ascii"',
      "",
      "runcmd: [date]",
      "--own--",
      "",
    ].join("\n");
    const parts = walk(softwareConfigUserData(own, { deployments: [] }));
    expect(parts.map((p) => [p.type, p.filename])).toEqual([
      ["text/cloud-config", "cloud-config"],
      ["text/part-handler", "part-handler.py"],
      ["text/x-shellscript", "first.sh"],
      ["text/cloud-config", null],
      ["text/x-cfninitdata", "cfn-init-data"],
    ]);
    expect(parts[2]!.content).toBe("#!/bin/sh\necho first");
  });

  it("leaves out an empty user_data", () => {
    expect(walk(softwareConfigUserData("", { deployments: [] })).map((p) => p.type)).toEqual(["text/cloud-config", "text/part-handler", "text/x-cfninitdata"]);
  });
});
