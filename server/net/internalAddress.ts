/**
 * The one rule for URLs a caller names and Kiln then requests (a template_url, a project's
 * Keystone auth_url): unless the operator allows it, never a loopback, private or link-local
 * address, or any caller could make Kiln read its own network (SSRF).
 */
import dns from "node:dns/promises";
import net from "node:net";

/** Loopback, private (RFC 1918, unique local), link-local (cloud metadata), unspecified, CGNAT and multicast addresses. */
export function isInternalAddress(address: string): boolean {
  const v4 = net.isIPv4(address) ? address : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) {
    const [a, b] = v4.split(".").map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = address.toLowerCase();
  return v6 === "::" || v6 === "::1" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

/** Why a URL's host may not be requested: "127.0.0.1 is an internal address (SETTING=1 allows it)". */
export function internalRefusal(host: string, address: string, setting: string): string {
  return `${host}${host === address ? "" : ` resolves to ${address}, which`} is an internal address (${setting}=1 allows it)`;
}

/**
 * Why this URL's host may not be requested, or undefined when it may: an IP literal is checked
 * as it is, a name by every address it resolves to now (one that cannot be resolved is left to
 * the request to fail).
 */
export async function internalHostProblem(url: URL, setting: string): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      return undefined;
    }
  }
  const internal = addresses.find(isInternalAddress);
  return internal === undefined ? undefined : internalRefusal(host, internal, setting);
}
