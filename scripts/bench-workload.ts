// What the benchmarks do with a cluster between its start and its reset: an overlay
// network and a 3-replica service on it, as most scenarios begin.
import type { StartedSwarmCluster } from "../support/cluster/swarm-cluster.js";
import { Swarm } from "../support/swarm/swarm.js";

export async function busyCluster(cluster: StartedSwarmCluster): Promise<Swarm> {
  const swarm = new Swarm(cluster);
  await swarm.createOverlay("bench-net");
  await swarm.createService({ name: "bench-web", replicas: 3, networks: ["bench-net"] });
  return swarm;
}
