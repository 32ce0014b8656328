/**
 * Which proxies in front of the gateway are trusted, with Express's `trust proxy` semantics
 * (implemented by the `proxy-addr` library Express uses):
 * - `false`: no proxy; the client is the socket's peer and X-Forwarded-* headers are ignored;
 * - a hop count `n`: the `n` nearest proxies are trusted (1 = the ingress in front of the pod);
 * - addresses, CIDRs or the names `loopback`, `linklocal`, `uniquelocal`: proxies whose address
 *   is one of them are trusted;
 * - `true`: every hop is trusted, so the client is the left-most X-Forwarded-For entry, which the
 *   client itself writes: only for a proxy that replaces the header instead of appending to it.
 * The client is found from the right: the first address that is not a trusted proxy.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyaddr from "proxy-addr";

export type TrustProxy = boolean | number | readonly string[];
type TrustFn = (addr: string, hop: number) => boolean;

/**
 * Reads TRUST_PROXY: true/false (also yes/no, on/off), a hop count (1, 2, ...), or a
 * comma-separated list of addresses, CIDRs and names. Returns the setting or the problem.
 */
export function parseTrustProxy(raw: string): { value: TrustProxy } | { problem: string } {
  const text = raw.trim().toLowerCase();
  if (["true", "yes", "on"].includes(text)) return { value: true };
  if (["false", "no", "off", "0", ""].includes(text)) return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 32 ? { value: hops } : { problem: "a hop count must be at most 32" };
  }
  const list = text.split(",").map((x) => x.trim());
  try {
    // proxy-addr throws on anything that is not an address, a CIDR or a known name.
    proxyaddr.compile(list);
  } catch (err) {
    return { problem: `${(err as Error).message}; expected true, false, a hop count or CIDRs` };
  }
  return { value: list };
}

const compiled = new WeakMap<readonly string[], TrustFn>();

function trustOf(setting: TrustProxy): TrustFn {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === "number") return (_addr, hop) => hop < setting;
  let fn = compiled.get(setting);
  if (!fn) {
    fn = proxyaddr.compile([...setting]);
    compiled.set(setting, fn);
  }
  return fn;
}

/** The client's address: the socket's peer, or what the trusted proxies say they saw. */
export function clientAddress(req: IncomingMessage, setting: TrustProxy): string {
  if (!req.socket?.remoteAddress) return "unknown";
  if (setting === false) return req.socket.remoteAddress;
  return proxyaddr(req, trustOf(setting));
}

/**
 * The request reached the shop over TLS: the socket itself is TLS, or the nearest proxy is
 * trusted and says so in X-Forwarded-Proto (its first value, as Express reads it).
 */
export function isSecure(req: IncomingMessage, setting: TrustProxy): boolean {
  if ((req.socket as TLSSocket | undefined)?.encrypted) return true;
  const peer = req.socket?.remoteAddress;
  if (!peer || !trustOf(setting)(peer, 0)) return false;
  const header = req.headers["x-forwarded-proto"];
  const value = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim();
  return value?.toLowerCase() === "https";
}
