// Which URLs the Worker may fetch on a user's behalf (the http_get tool, web pages added to a
// knowledge base): https only, on the default port, to a host named in HTTP_TOOL_ALLOWLIST
// ("example.com" for that host, "*.example.com" for its subdomains), and never an IP literal,
// localhost or another internal name, even if the allowlist says so. Every redirect hop is
// checked again by guardedFetch (fetch.ts).

/** A URL or an answer the guard will not accept; `code` says whether the input or the policy is at fault. */
export class OutboundRefused extends Error {
  override readonly name = "OutboundRefused";
  constructor(
    message: string,
    readonly code: "invalid_arguments" | "not_allowed" | "failed" = "not_allowed",
  ) {
    super(message);
  }
}

const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp"];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function isInternalName(host: string): boolean {
  return host === "localhost" || !host.includes(".") || INTERNAL_SUFFIXES.some((s) => host.endsWith(s));
}

export function hostAllowed(host: string, allowlist: readonly string[]): boolean {
  for (const raw of allowlist) {
    const entry = raw.trim().toLowerCase().replace(/\.$/, "");
    if (!entry) continue;
    if (entry.startsWith("*.")) {
      const base = entry.slice(2);
      if (host.endsWith(`.${base}`)) return true;
    } else if (host === entry) {
      return true;
    }
  }
  return false;
}

/** Returns the parsed URL or throws an OutboundRefused saying why it is refused. */
export function checkUrl(input: string, allowlist: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundRefused("Not a valid absolute URL", "invalid_arguments");
  }
  if (url.protocol !== "https:") throw new OutboundRefused("Only https:// URLs may be fetched", "not_allowed");
  if (url.username || url.password) throw new OutboundRefused("URLs with credentials are not allowed", "not_allowed");
  if (url.port && url.port !== "443")
    throw new OutboundRefused("Only the default https port is allowed", "not_allowed");
  // WHATWG parsing already turns 0x7f.1, 2130706433 and friends into dotted IPv4.
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (IPV4.test(host) || host.startsWith("[") || host.includes(":")) {
    throw new OutboundRefused("IP addresses are not allowed; use an allowlisted host name", "not_allowed");
  }
  if (isInternalName(host)) throw new OutboundRefused(`${host} is an internal name`, "not_allowed");
  if (allowlist.length === 0)
    throw new OutboundRefused("Fetching web pages is disabled: HTTP_TOOL_ALLOWLIST is empty", "not_allowed");
  if (!hostAllowed(host, allowlist))
    throw new OutboundRefused(`${host} is not in the HTTP tool allowlist`, "not_allowed");
  url.hash = "";
  return url;
}
