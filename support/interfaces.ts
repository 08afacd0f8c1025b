// What the kernel says about an overlay on a node: the VXLAN device in the network's
// namespace, and a task's interface (by address) with its MTU.
import { IN_NODE_PROBE_IMAGE } from "./images/catalogue.js";
import type { StartedSwarmNode } from "./swarm-node.js";
import type { TrafficSource } from "./traffic.js";

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
 * The VXLAN devices of an overlay on a node. Docker keeps them in the network's
 * namespace, /var/run/docker/netns/1-<first 10 characters of the network id>.
 */
export async function vxlanDevices(node: StartedSwarmNode, networkId: string): Promise<VxlanDevice[]> {
  const namespace = `/var/run/docker/netns/1-${networkId.slice(0, 10)}`;
  const { stdout } = await node.shOk(`nsenter --net=${namespace} ip -d -o link show type vxlan`);
  return parseVxlanDevices(stdout);
}

/** The MTU of the interface that holds `address` in the source's namespace. */
export async function mtuOfAddress(source: TrafficSource, address: string): Promise<number> {
  const script = `for i in /sys/class/net/*; do ip -o -4 addr show dev "\${i##*/}" | grep -q " ${address}/" && cat "$i/mtu"; done; true`;
  const result = await source.node.docker(["run", "--rm", "--network", `container:${source.container}`, IN_NODE_PROBE_IMAGE, "sh", "-c", script]);
  const mtu = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(mtu) || mtu <= 0) {
    throw new Error(`No interface with ${address} in ${source.label} (on ${source.node.name}): exit ${result.exitCode}, output "${result.stdout.trim()}" ${result.stderr.trim()}`);
  }
  return mtu;
}

/** Bytes carried by each ESP security association in `ip -s xfrm state` output. */
export function parseEspBytes(output: string): number[] {
  return output
    .split(/^src /m)
    .filter((block) => /\bproto esp\b/.test(block))
    .map((block) => Number(/lifetime current:\s*\n\s*(\d+)\(bytes\)/.exec(block)?.[1] ?? "0"));
}

/** The node's IPsec (ESP) security associations and the bytes each has carried. */
export async function espAssociations(node: StartedSwarmNode): Promise<number[]> {
  return parseEspBytes((await node.shOk("ip -s xfrm state")).stdout);
}
