// A network as the whole swarm sees it. Each node's `docker network inspect` lists
// only its local endpoints, so the full picture is the union over every node.
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { SwarmnetError, saysNotFound } from "../run/errors.js";
import { stripPrefix } from "../text/ipv4.js";

export interface NetworkInspect {
  Name: string;
  Id: string;
  Scope: string;
  Driver: string;
  IPAM: { Config: { Subnet: string; Gateway?: string }[] | null };
  Containers: Record<string, { Name: string; IPv4Address: string }> | null;
  Peers?: { Name: string; IP: string }[];
  Options?: Record<string, string> | null;
  [field: string]: unknown;
}

export interface NetworkEndpoint {
  node: string;
  /** Key in Containers: a container id, "lb-<network>" or "ingress-sbox". */
  key: string;
  name: string;
  address: string;
}

export class UnknownNetworkError extends SwarmnetError {}

/** The node's view of the network; undefined when the node does not have it (and only then). */
export async function findNetworkOn(node: StartedSwarmNode, network: string): Promise<NetworkInspect | undefined> {
  const result = await node.docker(["network", "inspect", network]);
  if (result.exitCode === 0) return (JSON.parse(result.stdout) as NetworkInspect[])[0];
  if (saysNotFound(result.stderr)) return undefined;
  throw new SwarmnetError(
    `docker network inspect ${network} on ${node.name} failed (exit ${result.exitCode}): ${result.stderr}`,
  );
}

/** The node's view of the network, or an error that lists the networks the node has. */
export async function inspectNetworkOn(node: StartedSwarmNode, network: string): Promise<NetworkInspect> {
  const view = await findNetworkOn(node, network);
  if (view) return view;
  const names = await node.dockerLines(["network", "ls", "--format", "{{.Name}}"]);
  throw new UnknownNetworkError(`Unknown network "${network}" on ${node.name}. Networks there: ${names.join(", ")}.`);
}

/** Every live node's view; a node that does not have the network (no task there) gives undefined. */
export async function networkViews(
  cluster: StartedSwarmCluster,
  network: string,
): Promise<Map<string, NetworkInspect | undefined>> {
  const views = await Promise.all(
    cluster.liveNodes.map(async (node) => [node.name, await findNetworkOn(node, network)] as const),
  );
  // A network no node has is a misspelt name: say which networks exist.
  if (views.every(([, view]) => view === undefined)) await inspectNetworkOn(cluster.primary, network);
  return new Map(views);
}

export function endpointsOf(views: Map<string, NetworkInspect | undefined>): NetworkEndpoint[] {
  return [...views].flatMap(([node, view]) =>
    Object.entries(view?.Containers ?? {}).map(([key, c]) => ({
      node,
      key,
      name: c.Name,
      address: stripPrefix(c.IPv4Address),
    })),
  );
}

export function subnetOf(view: NetworkInspect): string {
  const subnet = view.IPAM.Config?.[0]?.Subnet;
  if (!subnet) throw new SwarmnetError(`Network ${view.Name} has no IPAM subnet`);
  return subnet;
}

export function vxlanIdOf(view: NetworkInspect): number {
  return Number(view.Options?.["com.docker.network.driver.overlay.vxlanid_list"]);
}
