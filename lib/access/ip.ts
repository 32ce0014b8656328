/** IP addresses and CIDR ranges for the address blacklist (IPv4, IPv6 and IPv4-mapped IPv6). */
import { isIPv4, isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Normalises "10.0.0.1" → "10.0.0.1/32", "10.0.0.0/8" stays; undefined when invalid. Only the
 * canonical forms are addresses here: dotted-quad IPv4 (ipaddr.js alone also takes "1.2.3" as
 * 1.2.0.3, "127.1" or hex parts), IPv6 without a zone, and a prefix length in range.
 */
export function normaliseCidr(input: string): string | undefined {
  const [address, bits, ...rest] = input.trim().split("/");
  if (rest.length > 0) return undefined;
  const max = isIPv4(address) ? 32 : isIPv6(address) && !address.includes("%") ? 128 : 0;
  if (max === 0) return undefined;
  if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max)) return undefined;
  return `${ipaddr.parse(address).toString()}/${bits === undefined ? max : Number(bits)}`;
}

export class IpBlocklist {
  private readonly ranges: Range[];

  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.flatMap((c) => {
      try {
        return [ipaddr.parseCIDR(c) as Range];
      } catch {
        return [];
      }
    });
  }

  get size(): number {
    return this.ranges.length;
  }

  has(address: string): boolean {
    if (this.ranges.length === 0) return false;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = ipaddr.process(address); // IPv4-mapped IPv6 (::ffff:1.2.3.4) becomes IPv4
    } catch {
      return false;
    }
    return this.ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
  }
}
