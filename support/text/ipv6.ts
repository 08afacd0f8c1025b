// IPv6 arithmetic for assertions about addresses and subnets.

/** "fd00:7::3" → its 128 bits; "::" stands for the zero groups it replaces. */
export function ipv6ToBigInt(ip: string): bigint {
  const halves = ip.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  if (halves.length > 2) throw new Error(`"${ip}" is not an IPv6 address`);
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) {
    throw new Error(`"${ip}" is not an IPv6 address`);
  }
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return all.reduce((n, group) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new Error(`"${ip}" is not an IPv6 address`);
    return (n << 16n) + BigInt(`0x${group}`);
  }, 0n);
}

export function inIpv6Subnet(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw new Error(`"${cidr}" is not an IPv6 subnet`);
  const hostBits = BigInt(128 - prefix);
  return ipv6ToBigInt(ip.split("/")[0]) >> hostBits === ipv6ToBigInt(network) >> hostBits;
}
