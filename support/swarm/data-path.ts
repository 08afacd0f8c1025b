// The overlay's data path as the node's kernel holds it: the VXLAN device in the
// network's namespace, the IPsec (ESP) security associations of encrypted overlays,
// and which interface the node's VXLAN packets leave by.
import { perNode } from "../cluster/per-node.js";
import type { InjectedFault } from "../cluster/faults.js";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import {
  fdbDestinations,
  learnedFdbEntries,
  parseAddressDevices,
  parseEspBytes,
  parseFdbEntries,
  parseOutputDeviceCounts,
  parseVxlanDevices,
  type VxlanDevice,
} from "../text/ip-output.js";

import type { Swarm } from "./swarm.js";

export type { VxlanDevice };

/**
 * The VXLAN devices of an overlay on a node. Docker keeps them in the network's
 * namespace, /var/run/docker/netns/1-<first 10 characters of the network id>.
 */
export async function vxlanDevices(node: StartedSwarmNode, networkId: string): Promise<VxlanDevice[]> {
  const { stdout } = await node.shOk(`nsenter --net=${overlayNamespace(networkId)} ip -j -d link show type vxlan`);
  return parseVxlanDevices(stdout);
}

function overlayNamespace(networkId: string): string {
  return `/var/run/docker/netns/1-${networkId.slice(0, 10)}`;
}

/** The remote addresses the overlay's VXLAN devices on the node send to (their forwarding entries). */
export async function vxlanDestinations(node: StartedSwarmNode, networkId: string): Promise<string[]> {
  const devices = (await vxlanDevices(node, networkId)).map((d) => d.name);
  const { stdout } = await node.shOk(`nsenter --net=${overlayNamespace(networkId)} bridge -j fdb show`);
  return fdbDestinations(parseFdbEntries(stdout), devices);
}

/** The node's IPsec (ESP) security associations and the bytes each has carried. */
export async function espAssociations(node: StartedSwarmNode): Promise<number[]> {
  return parseEspBytes((await node.shOk("ip -s xfrm state")).stdout);
}

/**
 * The MAC addresses the overlay's bridge has learned from VXLAN traffic on the node:
 * kernel entries that age out (300 s without traffic), unlike the ones Docker installs.
 */
export async function learnedRemoteMacs(node: StartedSwarmNode, networkId: string): Promise<string[]> {
  const devices = (await vxlanDevices(node, networkId)).map((d) => d.name);
  const { stdout } = await node.shOk(`nsenter --net=${overlayNamespace(networkId)} bridge -j fdb show`);
  return learnedFdbEntries(parseFdbEntries(stdout), devices);
}

/** Counting rules (no target: they only count) for the VXLAN packets a node sends. */
const VXLAN_COUNT_CHAIN = "SWARMNET-VXLAN-OUT";

/** The devices that hold `addresses` on the node, in that order (one `ip addr` read). */
async function devicesWithAddresses(node: StartedSwarmNode, addresses: string[]): Promise<string[]> {
  const { stdout } = await node.shOk("ip -j -4 addr show");
  const byAddress = parseAddressDevices(stdout);
  return addresses.map((address) => {
    const device = byAddress[address];
    if (!device) throw new SwarmnetError(`${node.name} has no interface with address ${address}:\n${stdout}`);
    return device;
  });
}

/** Sets the MTU of the node's interface on the lab network: the underlay its VXLAN packets cross. */
async function setUnderlayMtu(node: StartedSwarmNode, mtu: number): Promise<void> {
  const [device] = await devicesWithAddresses(node, [node.address]);
  await node.shOk(`ip link set dev ${device} mtu ${mtu}`);
}

/** The lab network's MTU lowered to `mtu` on every node in `nodes`, 1500 again when lifted. */
export function lowerUnderlayMtu(nodes: readonly StartedSwarmNode[], mtu: number): () => Promise<InjectedFault> {
  return async () => {
    await Promise.all(nodes.map((node) => setUnderlayMtu(node, mtu)));
    return {
      description: `the lab network's MTU lowered to ${mtu} on ${nodes.map((n) => n.name).join(", ")}`,
      lift: async () => {
        await Promise.all(nodes.map((node) => setUnderlayMtu(node, 1500)));
      },
    };
  };
}

/**
 * From now on, counts the VXLAN packets (UDP to `port`) the node sends by each of
 * `addresses`' interfaces: the encapsulated packets pass the node's OUTPUT chain.
 */
export async function countVxlanSent(node: StartedSwarmNode, port: number, addresses: string[]): Promise<void> {
  const devices = await devicesWithAddresses(node, addresses);
  await node.shOk(
    [
      `iptables -N ${VXLAN_COUNT_CHAIN}`,
      `iptables -I OUTPUT -j ${VXLAN_COUNT_CHAIN}`,
      ...devices.map((d) => `iptables -A ${VXLAN_COUNT_CHAIN} -o ${d} -p udp --dport ${port}`),
    ].join(" && "),
  );
}

/** VXLAN packets sent since countVxlanSent, by the address of the interface they left by. */
export async function vxlanSentBy(node: StartedSwarmNode, addresses: string[]): Promise<Record<string, number>> {
  const counts = parseOutputDeviceCounts((await node.shOk(`iptables -v -S ${VXLAN_COUNT_CHAIN}`)).stdout);
  const devices = await devicesWithAddresses(node, addresses);
  const sent: Record<string, number> = {};
  addresses.forEach((address, i) => {
    if (counts[devices[i]] === undefined) {
      throw new SwarmnetError(`${node.name} has no VXLAN counter for ${devices[i]} (${address}): count first.`);
    }
    sent[address] = counts[devices[i]];
  });
  return sent;
}

export interface AgeingOutcome {
  /** Entries each node had learned when the wait began. */
  before: Record<string, number>;
  seconds: number;
}

/**
 * Waits until no node with `network` holds an entry its bridge learned from traffic:
 * the kernel's ageing, which cannot be hurried. Fails at once when nothing was learned
 * (nothing could age out: the scenario must send traffic first).
 */
export async function untilLearnedEntriesAgeOut(swarm: Swarm, network: string): Promise<AgeingOutcome> {
  const having = await swarm.nodesHaving(network);
  const nodes = swarm.cluster.nodes.filter((n) => having[n.name]);
  // The network's id does not change while the kernel forgets: read it once per node.
  const ids = await perNode(nodes, async (node) => (await swarm.network(network, node)).Id);
  const learned = () => perNode(nodes, async (node) => (await learnedRemoteMacs(node, ids[node.name])).length);
  const before = await learned();
  if (Object.values(before).every((n) => n === 0))
    throw new SwarmnetError(`No node has learned any entry from traffic on ${network}: nothing can age out.`);
  const started = Date.now();
  await pollUntil(
    `the entries learned on ${network} to age out (${JSON.stringify(before)} at the start)`,
    learned,
    (counts) => Object.values(counts).every((n) => n === 0),
    { timeoutMs: DEADLINE_MS.learnedEntriesAgeing, intervalMs: INTERVAL_MS.ageing },
  );
  return { before, seconds: (Date.now() - started) / 1000 };
}
