// A network as the whole swarm sees it. Each node's `docker network inspect` lists
// only its local endpoints, so the full picture is the union over every node.
import { stripPrefix } from "./ipv4.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

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

export class UnknownNetworkError extends Error {}

/** The node's view of the network, or an error that lists the networks the node has. */
export async function inspectNetworkOn(node: StartedSwarmNode, network: string): Promise<NetworkInspect> {
  const result = await node.docker(["network", "inspect", network]);
  if (result.exitCode === 0) return (JSON.parse(result.stdout) as NetworkInspect[])[0];
  if (/no such network|not found/i.test(result.stderr)) {
    const { stdout } = await node.dockerOk(["network", "ls", "--format", "{{.Name}}"]);
    throw new UnknownNetworkError(`Unknown network "${network}" on ${node.name}. Networks there: ${stdout.split("\n").filter(Boolean).join(", ")}.`);
  }
  throw new Error(`docker network inspect ${network} on ${node.name} failed: ${result.stderr}`);
}

/** Every node's view; a node that does not have the network (no task there) gives undefined. */
export async function networkViews(cluster: StartedSwarmCluster, network: string): Promise<Map<string, NetworkInspect | undefined>> {
  const views = await Promise.all(
    cluster.liveNodes.map(async (node) => {
      const result = await node.docker(["network", "inspect", network]);
      return [node.name, result.exitCode === 0 ? (JSON.parse(result.stdout) as NetworkInspect[])[0] : undefined] as const;
    }),
  );
  if (views.every(([, view]) => view === undefined)) await inspectNetworkOn(cluster.primary, network);
  return new Map(views);
}

export function endpointsOf(views: Map<string, NetworkInspect | undefined>): NetworkEndpoint[] {
  return [...views].flatMap(([node, view]) =>
    Object.entries(view?.Containers ?? {}).map(([key, c]) => ({ node, key, name: c.Name, address: stripPrefix(c.IPv4Address) })),
  );
}

export function subnetOf(view: NetworkInspect): string {
  const subnet = view.IPAM.Config?.[0]?.Subnet;
  if (!subnet) throw new Error(`Network ${view.Name} has no IPAM subnet`);
  return subnet;
}
