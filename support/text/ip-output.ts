// What iproute2 prints about VXLAN devices and IPsec security associations.

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

/** Bytes carried by each ESP security association in `ip -s xfrm state` output. */
export function parseEspBytes(output: string): number[] {
  return output
    .split(/^src /m)
    .filter((block) => /\bproto esp\b/.test(block))
    .map((block) => Number(/lifetime current:\s*\n\s*(\d+)\(bytes\)/.exec(block)?.[1] ?? "0"));
}
