// What iproute2 prints about VXLAN devices, addresses, forwarding entries and IPsec
// security associations, and the packet counters of iptables rules. Where iproute2
// has JSON output (`ip -j`, `bridge -j`), that is what is read; `ip xfrm` and
// iptables have none, so their text is parsed.

/** iproute2's JSON output: an array of objects, or an error that shows what came instead. */
function jsonArray<T>(output: string, what: string): T[] {
  const text = output.trim();
  if (text === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${what}: not iproute2's JSON output:\n${text.slice(0, 500)}`);
  }
  if (!Array.isArray(value)) throw new Error(`${what}: expected a JSON array, got:\n${text.slice(0, 500)}`);
  return value as T[];
}

export interface VxlanDevice {
  name: string;
  id: number;
  port: number;
}

interface IpLink {
  ifname: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number } };
}

/** `ip -j -d link show type vxlan`: each VXLAN device's name, VNI and UDP port. */
export function parseVxlanDevices(output: string): VxlanDevice[] {
  return jsonArray<IpLink>(output, "ip -j -d link show type vxlan").flatMap(({ ifname, linkinfo }) => {
    const data = linkinfo?.info_kind === "vxlan" ? linkinfo.info_data : undefined;
    return data?.id !== undefined && data.port !== undefined ? [{ name: ifname, id: data.id, port: data.port }] : [];
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

interface IpAddress {
  ifname: string;
  addr_info?: { family?: string; local?: string }[];
}

/** `ip -j -4 addr show` → { "192.168.33.10": "eth0" }. */
export function parseAddressDevices(output: string): Record<string, string> {
  const devices: Record<string, string> = {};
  for (const { ifname, addr_info = [] } of jsonArray<IpAddress>(output, "ip -j -4 addr show"))
    for (const a of addr_info) if (a.family === "inet" && a.local) devices[a.local] = ifname;
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

export interface FdbEntry {
  mac: string;
  ifname: string;
  /** The remote VTEP of a VXLAN device's own entry. */
  dst?: string;
  /** The bridge an entry belongs to (absent on a device's own "self" entries). */
  master?: string;
  /** "permanent" or "static" for installed entries; "" for entries learned from traffic. */
  state?: string;
}

/** `bridge -j fdb show`. */
export function parseFdbEntries(output: string): FdbEntry[] {
  return jsonArray<FdbEntry>(output, "bridge -j fdb show");
}

/** The remote VTEPs the `devices` send to (their forwarding entries' destinations). */
export function fdbDestinations(entries: readonly FdbEntry[], devices: readonly string[]): string[] {
  return [...new Set(entries.filter((e) => e.dst && devices.includes(e.ifname)).map((e) => e.dst as string))].sort();
}

/** MACs a bridge learned from traffic (not installed: neither permanent nor static) on one of `ports`. */
export function learnedFdbEntries(entries: readonly FdbEntry[], ports: readonly string[]): string[] {
  return entries
    .filter((e) => e.master && ports.includes(e.ifname) && e.state !== "permanent" && e.state !== "static")
    .map((e) => e.mac);
}
