/**
 * The names this Kiln answers to, against DNS rebinding (a foreign Host header) and cross-site
 * requests (a foreign Origin). Allowed hosts: localhost, 127.0.0.1 and [::1] on any port, the
 * host of KILN_PUBLIC_URL, and KILN_ALLOWED_HOSTS (an entry without a port allows any port).
 * An Origin is allowed when it is the request's own host, KILN_PUBLIC_URL's or a listed one;
 * not any localhost port, which would let any other local web app post to Kiln.
 */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

interface HostPattern {
  hostname: string;
  /** Unset: any port. */
  port?: string;
}

interface Host {
  hostname: string;
  /** "" for the scheme's default port. */
  port: string;
}

/** hostname and port of a Host header, lowercased; undefined when it is not just a host (a path, user info, garbage). */
function parseHost(host: string): Host | undefined {
  try {
    const url = new URL(`http://${host}`);
    const given = host.toLowerCase();
    if (url.host !== given && `${url.host}:80` !== given) return undefined;
    return { hostname: url.hostname, port: url.port };
  } catch {
    return undefined;
  }
}

export class AllowedHosts {
  private readonly listed: HostPattern[];

  constructor(publicUrl: string | undefined, allowedHosts: string[]) {
    this.listed = allowedHosts.map((entry) => {
      const parsed = parseHost(entry)!;
      return /:\d+$/.test(entry) ? parsed : { hostname: parsed.hostname };
    });
    if (publicUrl) {
      const url = new URL(publicUrl);
      this.listed.push({ hostname: url.hostname, port: url.port });
    }
  }

  private isListed(host: Host) {
    return this.listed.some((p) => p.hostname === host.hostname && (p.port === undefined || p.port === host.port));
  }

  /** A request's Host header names this Kiln. */
  hostAllowed(host: string | undefined): boolean {
    const parsed = host ? parseHost(host) : undefined;
    return !!parsed && (LOOPBACK.has(parsed.hostname) || this.isListed(parsed));
  }

  /** A browser's Origin header is this Kiln itself (the request's host) or one of its listed names. */
  originAllowed(origin: string, host: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" (sandboxed frames, file: pages) included
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    const from = { hostname: url.hostname, port: url.port };
    const own = host ? parseHost(host) : undefined;
    return (!!own && own.hostname === from.hostname && own.port === from.port) || this.isListed(from);
  }
}
