// The overlay's data path as the node's kernel holds it: the VXLAN device in the
// network's namespace, and the IPsec (ESP) security associations of encrypted overlays.
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { parseEspBytes, parseVxlanDevices, type VxlanDevice } from "../text/ip-output.js";

export type { VxlanDevice };

/**
 * The VXLAN devices of an overlay on a node. Docker keeps them in the network's
 * namespace, /var/run/docker/netns/1-<first 10 characters of the network id>.
 */
export async function vxlanDevices(node: StartedSwarmNode, networkId: string): Promise<VxlanDevice[]> {
  const namespace = `/var/run/docker/netns/1-${networkId.slice(0, 10)}`;
  const { stdout } = await node.shOk(`nsenter --net=${namespace} ip -d -o link show type vxlan`);
  return parseVxlanDevices(stdout);
}

/** The node's IPsec (ESP) security associations and the bytes each has carried. */
export async function espAssociations(node: StartedSwarmNode): Promise<number[]> {
  return parseEspBytes((await node.shOk("ip -s xfrm state")).stdout);
}
