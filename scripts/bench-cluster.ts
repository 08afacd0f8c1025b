// Cluster start figures on whatever daemon DOCKER_HOST names (the UML kernel host,
// when `npm run bench` runs this there): one bare node, then a fresh 3-node swarm,
// `--runs` times. Prints one JSON line: { bareMs: [...], freshMs: [...] }.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { SwarmClusterBuilder } from "../support/cluster/swarm-cluster.js";
import { removeThisRun } from "../support/host/cleanup.js";
import { getHarness } from "../support/host/harness.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
const harness = await getHarness();
const engine = harness.config.engine.name;
const figures = { bareMs: [] as number[], freshMs: [] as number[] };
try {
  for (let i = 0; i < Number(values.runs); i++) {
    let start = performance.now();
    const bare = await new SwarmClusterBuilder(harness.host).withNodesOf("manager", 1, engine).withoutSwarm().start();
    figures.bareMs.push(performance.now() - start);
    await bare.stop();
    start = performance.now();
    const fresh = await new SwarmClusterBuilder(harness.host)
      .withNodesOf("manager", 1, engine)
      .withNodesOf("worker", 2, engine)
      .start();
    figures.freshMs.push(performance.now() - start);
    await fresh.stop();
  }
} finally {
  await removeThisRun();
}
console.log(JSON.stringify(figures));
