// What iproute2 prints about VXLAN devices, addresses and IPsec security
// associations, and the packet counters of iptables rules.

export interface VxlanDevice {
  name: string;
  id: number;
  port: number;
}

/** `ip -d -o link show type vxlan` lines: "... vxlan id 4097 srcport 0 0 dstport 4789 ...". */
export function parseVxlanDevices(output: string): VxlanDevice[] {
  return output
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
      const id = /\bvxlan id (\d+)/.exec(line)?.[1];
      const port = /\bdstport (\d+)/.exec(line)?.[1];
      return name && id && port ? [{ name, id: Number(id), port: Number(port) }] : [];
    });
}

/**
 * Bytes carried by each ESP security association in `ip -s xfrm state` output. An
 * association whose byte count cannot be read is an error, never "carried nothing".
 */
export function parseEspBytes(output: string): number[] {
  return output
    .split(/^src /m)
    .filter((block) => /\bproto esp\b/.test(block))
    .map((block) => {
      const bytes = /lifetime current:\s*\n\s*(\d+)\(bytes\)/.exec(block)?.[1];
      if (bytes === undefined)
        throw new Error(`An ESP security association with no byte count that could be read:\nsrc ${block.trim()}`);
      return Number(bytes);
    });
}

/** `ip -o -4 addr show` lines: "2: eth0    inet 192.168.33.10/24 ..." → { "192.168.33.10": "eth0" }. */
export function parseAddressDevices(output: string): Record<string, string> {
  const devices: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const match = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet\s+([\d.]+)\//.exec(line);
    if (match) devices[match[2]] = match[1];
  }
  return devices;
}

/**
 * Packets counted by each rule of an iptables chain that matches an output device,
 * from `iptables -v -S <chain>` ("-A CHAIN -o eth1 -p udp -m udp --dport 4789 -c 12 1234").
 */
export function parseOutputDeviceCounts(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of output.split("\n")) {
    const match = /^-A \S+ .*-o (\S+) .*-c (\d+) \d+/.exec(line);
    if (match) counts[match[1]] = (counts[match[1]] ?? 0) + Number(match[2]);
  }
  return counts;
}

/**
 * Remote VTEPs in `bridge fdb show` of a VXLAN device
 * ("02:42:0a:00:01:03 dev vx-... dst 192.168.33.11 ... self permanent").
 */
export function parseFdbDestinations(output: string): string[] {
  const destinations = new Set<string>();
  for (const line of output.split("\n")) {
    const dst = /\bdst ([\d.]+)/.exec(line)?.[1];
    if (dst) destinations.add(dst);
  }
  return [...destinations].sort();
}

/**
 * Entries a bridge learned from traffic (no "permanent" or "static" flag) on one of
 * `ports`, in `bridge fdb show br <bridge>` output ("02:42:0a:00:01:04 dev vx-... master br0").
 */
export function parseLearnedFdbEntries(output: string, ports: string[]): string[] {
  return output.split("\n").flatMap((line) => {
    const match = /^([0-9a-f:]{17}) dev (\S+) .*\bmaster\b/.exec(line.trim());
    if (!match || !ports.includes(match[2]) || /\b(permanent|static)\b/.test(line)) return [];
    return [match[1]];
  });
}
