// Returns a used cluster to the state of a fresh one, and checks that it did:
// no services, no containers, only the default networks, every node Ready and
// Active without labels.
import { performance } from "node:perf_hooks";
import { SwarmnetError } from "../run/errors.js";
import { formatSeconds, progress } from "../run/log.js";
import { joinedCommands, splitOutputs } from "../text/joined-outputs.js";
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
  const { stdout } = await node.shOk(
    joinedCommands(["docker ps -a --format '{{.Names}}'", "docker network ls --format '{{.Name}}'"]),
  );
  const [containers, networks] = splitOutputs(stdout, 2);
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

/** The swarm's services and its nodes' inspect objects, from the manager in one exec. */
async function swarmState(manager: StartedSwarmNode): Promise<{ services: string[]; inspected: NodeInspect[] }> {
  const { stdout } = await manager.shOk(
    joinedCommands(["docker service ls --format '{{.Name}}'", "docker node inspect $(docker node ls -q)"]),
  );
  const [services, inspect] = splitOutputs(stdout, 2);
  return { services, inspected: JSON.parse(inspect.join("\n")) as NodeInspect[] };
}

export async function clusterState(cluster: StartedSwarmCluster): Promise<ClusterState> {
  if (!cluster.shape.initialised) return hostsState(cluster);
  const [{ services, inspected }, nodes] = await Promise.all([
    swarmState(cluster.primary),
    Promise.all(cluster.nodes.map(nodeState)),
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

/**
 * Removes every container of the node. A task the orchestrator removes at the same
 * time (its service was just removed) can vanish under `docker rm -f`, which then
 * exits 1; what counts is that none is left, sampled in the node for up to 5 s.
 */
async function removeAllContainers(node: StartedSwarmNode): Promise<void> {
  await node.shOk(
    'ids=$(docker ps -aq); [ -z "$ids" ] || docker rm -f $ids >/dev/null || :; ' +
      'for i in $(seq 20); do [ -z "$(docker ps -aq)" ] && exit 0; sleep 0.25; done; ' +
      "echo \"containers left: $(docker ps -a --format '{{.Names}} {{.Status}}' | paste -sd,)\" >&2; exit 1",
  );
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
  const phases: string[] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    phases.push(`${name} ${formatSeconds(performance.now() - start)}`);
    return result;
  };
  // Services first, or the orchestrator replaces the containers removed below.
  if (cluster.shape.initialised)
    await phase("services removed", () =>
      cluster.primary.shOk('ids=$(docker service ls -q); [ -z "$ids" ] || docker service rm $ids >/dev/null'),
    );
  const restarts = await phase("daemons restarted wiped", () =>
    Promise.all(
      cluster.nodes.map(async (node) => {
        const start = performance.now();
        // Before the restart (a killed dockerd would leave them running in containerd)
        // and after it (in case anything started one in between).
        await removeAllContainers(node);
        await node.restartDaemon({ wipe: true });
        await removeAllContainers(node);
        return `${node.name} ${formatSeconds(performance.now() - start)}`;
      }),
    ),
  );
  phases[phases.length - 1] += ` (${restarts.join(", ")})`;
  if (cluster.shape.initialised) await phase("swarm formed", () => cluster.formSwarm());
  const state = await phase("checked", () => clusterState(cluster));
  progress(`reset: ${phases.join(", ")}`);
  if (!isClean(state)) throw new SwarmnetError(`The cluster is not clean after reset: ${JSON.stringify(state)}`);
}
