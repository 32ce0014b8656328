/** IP addresses and CIDR ranges for the address blacklist (IPv4, IPv6 and IPv4-mapped IPv6). */
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Normalises "10.0.0.1" → "10.0.0.1/32", "10.0.0.0/8" stays; undefined when invalid. */
export function normaliseCidr(input: string): string | undefined {
  const value = input.trim();
  try {
    if (value.includes("/")) {
      const [addr, bits] = ipaddr.parseCIDR(value);
      return `${addr.toString()}/${bits}`;
    }
    const addr = ipaddr.parse(value);
    return `${addr.toString()}/${addr.kind() === "ipv4" ? 32 : 128}`;
  } catch {
    return undefined;
  }
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
