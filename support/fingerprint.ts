// What a scenario can see of a cluster, reduced to values that do not change from
// one swarm to the next (no ids, tokens or times): used to show that a reset
// cluster is indistinguishable from a fresh one.
import { DEFAULT_NETWORKS } from "./cluster-reset.js";
import { endpointsOf, inspectNetworkOn, networkViews } from "./overlay-view.js";
import { pollUntil } from "./poll.js";
import { waitForRunningTasks } from "./service-tasks.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";

const PROBE_NETWORK = "fingerprint-net";
const PROBE_SERVICE = "fingerprint-web";

export interface ClusterFingerprint {
  nodes: string[];
  networks: Record<string, string[]>;
  overlay: { subnet: string; gateway: string; vxlan: string; endpointsBeforeTasks: number };
  service: { taskAddresses: string[]; lbEndpoints: string[]; vip: string[]; peers: Record<string, string[]> };
}

/** Observes the cluster, creating one overlay and one 3-replica service, and removes them after. */
export async function clusterFingerprint(cluster: StartedSwarmCluster): Promise<ClusterFingerprint> {
  const manager = cluster.primary;
  const nodes = (await cluster.nodeList()).map((n) => `${n.Hostname} ${n.Status} ${n.Availability} ${n.ManagerStatus} ${n.EngineVersion}`).sort();
  // As a scenario's steps do, wait for ingress and docker_gwbridge to reach every node.
  const networks = await pollUntil(
    "the default networks on every node",
    async () =>
      Object.fromEntries(
        await Promise.all(
          cluster.nodes.map(async (n) => [n.name, (await n.dockerOk(["network", "ls", "--format", "{{.Name}}/{{.Driver}}/{{.Scope}}"])).stdout.split("\n").filter(Boolean).sort()]),
        ),
      ) as Record<string, string[]>,
    (seen) => Object.values(seen).every((names) => names.length === DEFAULT_NETWORKS.length),
    { timeoutMs: 30_000 },
  );
  await manager.dockerOk(["network", "create", "--driver", "overlay", PROBE_NETWORK]);
  const created = await inspectNetworkOn(manager, PROBE_NETWORK);
  const overlay = {
    subnet: created.IPAM.Config?.[0]?.Subnet ?? "",
    gateway: created.IPAM.Config?.[0]?.Gateway ?? "",
    vxlan: String((created.Options as Record<string, string> | undefined)?.["com.docker.network.driver.overlay.vxlanid_list"]),
    endpointsBeforeTasks: Object.keys(created.Containers ?? {}).length,
  };
  await manager.dockerOk(["service", "create", "--detach", "--no-resolve-image", "--replicas", "3", "--name", PROBE_SERVICE, "--network", PROBE_NETWORK, "nginx:latest"]);
  const tasks = await waitForRunningTasks(cluster, PROBE_SERVICE, 3);
  const views = await networkViews(cluster, PROBE_NETWORK);
  const endpoints = endpointsOf(views);
  const service = {
    taskAddresses: endpoints.filter((e) => tasks.some((t) => t.containerName === e.name)).map((e) => e.address).sort(),
    // Which node's lb endpoint gets which address depends on timing even between two
    // fresh swarms: the set is compared, not the node each sits on.
    lbEndpoints: endpoints.filter((e) => e.key.startsWith("lb-")).map((e) => `${e.key} ${e.name} ${e.address}`).sort(),
    vip: (await manager.inspect<{ Endpoint: { VirtualIPs?: { Addr: string }[] } }>("service", PROBE_SERVICE)).Endpoint.VirtualIPs?.map((v) => v.Addr) ?? [],
    peers: Object.fromEntries([...views].map(([node, view]) => [node, (view?.Peers ?? []).map((p) => p.IP).sort()])),
  };
  await manager.dockerOk(["service", "rm", PROBE_SERVICE]);
  return { nodes, networks, overlay, service };
}
