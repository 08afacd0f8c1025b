// Returns a used cluster to the state of a fresh one, and checks that it did:
// no services, no containers, only the default networks, every node Ready and
// Active without labels.
import { SwarmnetError } from "../run/errors.js";
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

async function nodeState(node: StartedSwarmNode): Promise<NodeState> {
  const [containers, networks] = await Promise.all([
    node.dockerLines(["ps", "-a", "--format", "{{.Names}}"]),
    node.dockerLines(["network", "ls", "--format", "{{.Name}}"]),
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
  const ids = await manager.dockerLines(["node", "ls", "-q"]);
  const { stdout } = await manager.dockerOk(["node", "inspect", ...ids]);
  return JSON.parse(stdout) as NodeInspect[];
}

export async function clusterState(cluster: StartedSwarmCluster): Promise<ClusterState> {
  if (!cluster.shape.initialised) return hostsState(cluster);
  const manager = cluster.primary;
  const [services, nodes, inspected] = await Promise.all([
    manager.dockerLines(["service", "ls", "--format", "{{.Name}}"]),
    Promise.all(cluster.nodes.map(nodeState)),
    inspectNodes(manager),
  ]);
  const unhealthyNodes = inspected
    .filter(
      (n) =>
        n.Status.State !== "ready" || n.Spec.Availability !== "active" || Object.keys(n.Spec.Labels ?? {}).length > 0,
    )
    .map(
      (n) =>
        `${n.Description.Hostname}: ${n.Status.State}/${n.Spec.Availability} labels=${JSON.stringify(n.Spec.Labels ?? {})}`,
    );
  if (inspected.length !== cluster.nodes.length)
    unhealthyNodes.push(`${inspected.length} nodes in the swarm, ${cluster.nodes.length} expected`);
  return { services, nodes, unhealthyNodes };
}

async function removeAllContainers(node: StartedSwarmNode): Promise<void> {
  await node.shOk('ids=$(docker ps -aq); [ -z "$ids" ] || docker rm -f $ids >/dev/null');
}

/** Hosts that are meant to be outside any swarm. */
async function hostsState(cluster: StartedSwarmCluster): Promise<ClusterState> {
  const nodes = await Promise.all(cluster.nodes.map(nodeState));
  const swarmStates = await Promise.all(
    cluster.nodes.map(
      async (n) =>
        [n.name, (await n.dockerOk(["info", "--format", "{{.Swarm.LocalNodeState}}"])).stdout.trim()] as const,
    ),
  );
  return {
    services: [],
    nodes,
    unhealthyNodes: swarmStates.filter(([, s]) => s !== "inactive").map(([n, s]) => `${n}: swarm ${s}`),
  };
}

/**
 * Makes a used cluster as good as a fresh one: every container removed, every
 * daemon restarted without swarm or network state (images kept), then a new swarm
 * formed. Removing services and networks is not enough: the swarm's IPAM hands out
 * the next subnet (10.0.2.0/24, ...) instead of the freed one. Re-forming the swarm
 * on the same daemons is not enough either: after `swarm leave --force`, a 20.10
 * manager keeps port 7946 bound and its next swarm has no working overlay.
 */
export async function resetCluster(cluster: StartedSwarmCluster): Promise<void> {
  // Services first, or the orchestrator replaces the containers removed below.
  if (cluster.shape.initialised)
    await cluster.primary.shOk('ids=$(docker service ls -q); [ -z "$ids" ] || docker service rm $ids >/dev/null');
  await Promise.all(
    cluster.nodes.map(async (node) => {
      // Before the restart (a killed dockerd would leave them running in containerd)
      // and after it (in case anything started one in between).
      await removeAllContainers(node);
      await node.restartDaemon({ wipe: true });
      await removeAllContainers(node);
    }),
  );
  if (cluster.shape.initialised) await cluster.formSwarm();
  const state = await clusterState(cluster);
  if (!isClean(state)) throw new SwarmnetError(`The cluster is not clean after reset: ${JSON.stringify(state)}`);
}
