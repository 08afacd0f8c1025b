// What a scenario can see of a cluster, reduced to values that do not change from
// one swarm to the next (no ids, tokens or times): the smoke scenario compares a
// reset cluster's with a fresh one's.
import { DEFAULT_NETWORKS } from "../cluster/cluster-reset.js";
import { perNode } from "../cluster/per-node.js";
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import { pollUntil } from "../run/poll.js";
import { endpointsOf, networkViews, vxlanIdOf } from "./network-view.js";
import { Swarm } from "./swarm.js";

const PROBE_NETWORK = "fingerprint-net";
const PROBE_SERVICE = "fingerprint-web";

export interface ClusterFingerprint {
  nodes: string[];
  networks: Record<string, string[]>;
  overlay: { subnet: string; gateway: string; vxlan: number; endpointsBeforeTasks: number };
  service: { taskAddresses: string[]; lbEndpoints: string[]; vip: string[]; peers: Record<string, string[]> };
}

/** Observes the cluster, creating one overlay and one 3-replica service, and removes them after. */
export async function clusterFingerprint(cluster: StartedSwarmCluster): Promise<ClusterFingerprint> {
  const swarm = new Swarm(cluster);
  const nodes = (await cluster.nodeList())
    .map((n) => `${n.Hostname} ${n.Status} ${n.Availability} ${n.ManagerStatus} ${n.EngineVersion}`)
    .sort();
  // As a scenario's steps do, wait for ingress and docker_gwbridge to reach every node.
  const networks = await pollUntil(
    "the default networks on every node",
    () =>
      perNode(cluster.nodes, async (n) => (await swarm.networkList(n)).map((r) => `${r.name}/${r.driver}/${r.scope}`)),
    (seen) => Object.values(seen).every((names) => names.length === DEFAULT_NETWORKS.length),
  );
  const created = await swarm.createOverlay(PROBE_NETWORK);
  const overlay = {
    subnet: created.IPAM.Config?.[0]?.Subnet ?? "",
    gateway: created.IPAM.Config?.[0]?.Gateway ?? "",
    vxlan: vxlanIdOf(created),
    endpointsBeforeTasks: Object.keys(created.Containers ?? {}).length,
  };
  const tasks = await swarm.createService({ name: PROBE_SERVICE, replicas: 3, networks: [PROBE_NETWORK] });
  const views = await networkViews(cluster, PROBE_NETWORK);
  const endpoints = endpointsOf(views);
  const service = {
    taskAddresses: endpoints
      .filter((e) => tasks.some((t) => t.containerName === e.name))
      .map((e) => e.address)
      .sort(),
    // Which node's lb endpoint gets which address depends on timing even between two
    // fresh swarms: the set is compared, not the node each sits on.
    lbEndpoints: endpoints
      .filter((e) => e.key.startsWith("lb-"))
      .map((e) => `${e.key} ${e.name} ${e.address}`)
      .sort(),
    vip: await swarm.virtualIps(PROBE_SERVICE),
    peers: Object.fromEntries([...views].map(([node, view]) => [node, (view?.Peers ?? []).map((p) => p.IP).sort()])),
  };
  await swarm.manager.dockerOk(["service", "rm", PROBE_SERVICE]);
  return { nodes, networks, overlay, service };
}
