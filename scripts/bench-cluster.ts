// Cluster figures for the run's kind of node, `--runs` times: `npm run bench` runs
// this with the UML pass's settings to measure UML nodes. Prints one JSON line of
// ClusterFigures (support/suite/bench.ts).
import { parseArgs } from "node:util";
import { removeThisRun } from "../support/host/cleanup.js";
import { getHarness } from "../support/host/harness.js";
import { clusterFigures } from "../support/suite/bench.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
  try {
    console.log(JSON.stringify(await clusterFigures(await getHarness(), Number(values.runs))));
  } finally {
    await removeThisRun();
  }
}

await main();
