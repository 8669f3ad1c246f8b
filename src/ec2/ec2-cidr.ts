/** IPv4 CIDR arithmetic for VPC and subnet blocks. */

/** A parsed IPv4 block: network address as an unsigned 32-bit number and prefix length. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { base, prefix };
}

function end(c: Cidr): number {
  return c.base + 2 ** (32 - c.prefix) - 1;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && end(inner) <= end(outer);
}

/** True when the two blocks share an address. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= end(b) && b.base <= end(a);
}

/** Addresses usable in a subnet: AWS reserves five per subnet. */
export function usableAddresses(c: Cidr): number {
  return 2 ** (32 - c.prefix) - 5;
}
