import { describe, expect, it } from "vitest";
import { AllowedHosts } from "./allowedHosts";

const hosts = new AllowedHosts("https://kiln.example.com", ["10.0.0.5:3000", "ops.internal"]);

describe("the names Kiln answers to", () => {
  it.each(["localhost:3000", "LOCALHOST", "127.0.0.1:9", "[::1]:3000", "kiln.example.com", "10.0.0.5:3000", "ops.internal:8080"])("%s is allowed", (host) => {
    expect(hosts.hostAllowed(host)).toBe(true);
  });

  it.each(["kiln.example.com:8443", "10.0.0.5:3001", "10.0.0.5", "attacker.example", "localhost.attacker.example", "localhost/x", "a@localhost", ""])("%j is not", (host) => {
    expect(hosts.hostAllowed(host)).toBe(false);
  });
});

describe("the origins a change may come from", () => {
  it("the request's own origin, KILN_PUBLIC_URL's and the listed ones", () => {
    expect(hosts.originAllowed("http://localhost:3000", "localhost:3000")).toBe(true);
    expect(hosts.originAllowed("https://kiln.example.com", "127.0.0.1:3000")).toBe(true);
    expect(hosts.originAllowed("http://ops.internal:81", "localhost:3000")).toBe(true);
  });

  it("not another port of localhost, another site, or an opaque origin", () => {
    expect(hosts.originAllowed("http://localhost:8080", "localhost:3000")).toBe(false);
    expect(hosts.originAllowed("http://attacker.example", "localhost:3000")).toBe(false);
    expect(hosts.originAllowed("null", "localhost:3000")).toBe(false);
    expect(hosts.originAllowed("file:///tmp/x.html", "localhost:3000")).toBe(false);
  });
});
