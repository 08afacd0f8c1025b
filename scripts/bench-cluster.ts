// Cluster figures for the run's kind of node (container nodes, or UML nodes when
// `npm run bench` runs this with SWARMNET_NODES=uml): one bare node, then a fresh
// 3-node swarm, an overlay and a 3-replica service on it, and the reset a reused
// cluster gets, `--runs` times. Prints one JSON line of ClusterFigures.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { resetCluster } from "../support/cluster/cluster-reset.js";
import { SwarmClusterBuilder } from "../support/cluster/swarm-cluster.js";
import { removeThisRun } from "../support/host/cleanup.js";
import { getHarness } from "../support/host/harness.js";
import { busyCluster } from "./bench-workload.js";

export interface ClusterFigures {
  bareMs: number[];
  freshMs: number[];
  serviceMs: number[];
  resetMs: number[];
}

async function measure<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  samples.push(performance.now() - start);
  return result;
}

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
const harness = await getHarness();
const engine = harness.config.engine.name;
const figures: ClusterFigures = { bareMs: [], freshMs: [], serviceMs: [], resetMs: [] };
const manager = () => new SwarmClusterBuilder(harness.host).withNodesOf("manager", 1, engine);
try {
  for (let i = 0; i < Number(values.runs); i++) {
    const bare = await measure(figures.bareMs, () => manager().withoutSwarm().start());
    await bare.stop();
    const cluster = await measure(figures.freshMs, () => manager().withNodesOf("worker", 2, engine).start());
    await measure(figures.serviceMs, () => busyCluster(cluster));
    await measure(figures.resetMs, () => resetCluster(cluster));
    await cluster.stop();
  }
} finally {
  await removeThisRun();
}
console.log(JSON.stringify(figures));
