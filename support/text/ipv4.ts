// IPv4 arithmetic for assertions about addresses and subnets.

export function ipToNumber(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`"${ip}" is not an IPv4 address`);
  }
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** "10.0.1.5/24" → "10.0.1.5". */
export function stripPrefix(address: string): string {
  return address.split("/")[0];
}

export function inSubnet(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 subnet`);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ipToNumber(network) / size) * size;
  const value = ipToNumber(stripPrefix(ip));
  return value >= start && value < start + size;
}

/** Whether two subnets share any address (one contains the other's first address). */
export function subnetsOverlap(a: string, b: string): boolean {
  return inSubnet(a.split("/")[0], b) || inSubnet(b.split("/")[0], a);
}
