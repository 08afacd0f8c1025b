// Returns a used cluster to the state of a fresh one, and checks that it did:
// no services, no containers, only the default networks, every node Ready and
// Active without labels.
import { pollUntil } from "./poll.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

export const DEFAULT_NETWORKS = ["bridge", "docker_gwbridge", "host", "ingress", "none"] as const;

export interface NodeState {
  node: string;
  containers: string[];
  extraNetworks: string[];
}

export interface ClusterState {
  services: string[];
  nodes: NodeState[];
  /** Nodes not Ready+Active, or carrying labels: "worker1: Down/Active". */
  unhealthyNodes: string[];
}

export function isClean(state: ClusterState): boolean {
  return (
    state.services.length === 0 &&
    state.unhealthyNodes.length === 0 &&
    state.nodes.every((n) => n.containers.length === 0 && n.extraNetworks.length === 0)
  );
}

async function lines(node: StartedSwarmNode, args: string[]): Promise<string[]> {
  return (await node.dockerOk(args)).stdout.split("\n").filter(Boolean);
}

async function nodeState(node: StartedSwarmNode): Promise<NodeState> {
  const [containers, networks] = await Promise.all([
    lines(node, ["ps", "-a", "--format", "{{.Names}}"]),
    lines(node, ["network", "ls", "--format", "{{.Name}}"]),
  ]);
  return {
    node: node.name,
    containers,
    extraNetworks: networks.filter((n) => !(DEFAULT_NETWORKS as readonly string[]).includes(n)),
  };
}

interface NodeInspect {
  Description: { Hostname: string };
  Status: { State: string };
  Spec: { Availability: string; Labels?: Record<string, string> };
}

async function inspectNodes(manager: StartedSwarmNode): Promise<NodeInspect[]> {
  const ids = await lines(manager, ["node", "ls", "-q"]);
  const { stdout } = await manager.dockerOk(["node", "inspect", ...ids]);
  return JSON.parse(stdout) as NodeInspect[];
}

export async function clusterState(cluster: StartedSwarmCluster): Promise<ClusterState> {
  const manager = cluster.primary;
  const [services, nodes, inspected] = await Promise.all([
    lines(manager, ["service", "ls", "--format", "{{.Name}}"]),
    Promise.all(cluster.nodes.map(nodeState)),
    inspectNodes(manager),
  ]);
  const unhealthyNodes = inspected
    .filter((n) => n.Status.State !== "ready" || n.Spec.Availability !== "active" || Object.keys(n.Spec.Labels ?? {}).length > 0)
    .map((n) => `${n.Description.Hostname}: ${n.Status.State}/${n.Spec.Availability} labels=${JSON.stringify(n.Spec.Labels ?? {})}`);
  if (inspected.length !== cluster.nodes.length) unhealthyNodes.push(`${inspected.length} nodes in the swarm, ${cluster.nodes.length} expected`);
  return { services, nodes, unhealthyNodes };
}

/** Undoes what scenarios create; throws (with the last state) if it cannot. */
export async function resetCluster(cluster: StartedSwarmCluster): Promise<void> {
  const manager = cluster.primary;
  const services = await lines(manager, ["service", "ls", "-q"]);
  if (services.length > 0) await manager.dockerOk(["service", "rm", ...services]);
  await Promise.all(
    cluster.nodes.map(async (node) => {
      const containers = await lines(node, ["ps", "-aq"]);
      if (containers.length > 0) await node.docker(["rm", "-f", ...containers]);
    }),
  );
  for (const node of (await inspectNodes(manager)).filter((n) => n.Spec.Availability !== "active" || n.Spec.Labels)) {
    const labelArgs = Object.keys(node.Spec.Labels ?? {}).flatMap((l) => ["--label-rm", l]);
    await manager.dockerOk(["node", "update", "--availability", "active", ...labelArgs, node.Description.Hostname]);
  }
  // Overlay networks go from the manager once their last task is gone; local ones per node.
  await pollUntil(
    "the cluster to be clean after reset",
    async () => {
      const state = await clusterState(cluster);
      await Promise.all(
        state.nodes.map((n) =>
          n.extraNetworks.length > 0 ? cluster.node(n.node).docker(["network", "rm", ...n.extraNetworks]) : undefined,
        ),
      );
      return state;
    },
    isClean,
    { timeoutMs: 15_000, intervalMs: 100 },
  );
}
