// `npm run bench`: how fast swarmnet is on this machine. Prints figures and ratios
// (median, min and max over several runs) and writes them as the bench table of
// docs/performance.md, with the date, the machine, the commit and this command. It
// asserts nothing and is not part of `npm test`.
//   npm run bench -- --runs 5 --suite-runs 1
//   npm run bench -- --runs 1 --features features --no-uml --ratio-only   (the whole host suite's ratio)
//   npm run bench -- --runs 3 --suite-runs 0 --uml-scenarios   (UML nodes: clusters, and the scenarios they run)
//   ... --no-write   (print only)
import { parseArgs } from "node:util";
import { execa } from "execa";
import { activitySince, markActivity } from "../support/cluster/cluster-activity.js";
import { clusterState } from "../support/cluster/cluster-reset.js";
import { removeThisRun } from "../support/host/cleanup.js";
import { getHarness } from "../support/host/harness.js";
import { umlUnavailableReason } from "../support/host/uml-kernel.js";
import { config, PROBE_MODES, type ProbeMode } from "../support/run/config.js";
import { UML_TAGS } from "../support/run/tags.js";
import { umlPassEnv } from "../support/run/uml-pass.js";
import {
  benchContext,
  clusterFigures,
  describeStats,
  peakNodeMemory,
  probeCosts,
  renderBenchTable,
  seconds,
  stats,
  suiteRun,
  timed,
  writeBenchTable,
  type BenchRow,
  type ClusterFigures,
} from "../support/suite/bench.js";

const PERFORMANCE_DOC = "docs/performance.md";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      "suite-runs": { type: "string", default: "1" },
      // What the suite figures run: the tutorial by default; `features` is the whole
      // suite on the host kernel (its @ipvs/@esp scenarios skipped where it lacks them).
      features: { type: "string", default: "features/tutorial" },
      // Spelt out: parseArgs takes --no-<option> only from Node 22.4 on.
      "no-uml": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      // Only the two runs the ratio compares (serial without reuse, the defaults).
      "ratio-only": { type: "boolean", default: false },
      // How the suite runs' probes enter namespaces, to measure a candidate default.
      probes: { type: "string", default: config().probes },
      // The scenarios that run on UML nodes, once, alone.
      "uml-scenarios": { type: "boolean", default: false },
    },
  });
  if (!(PROBE_MODES as readonly string[]).includes(values.probes))
    throw new Error(`bench: --probes ${values.probes}: expected one of ${PROBE_MODES.join(", ")}`);
  const probesMode = values.probes as ProbeMode;
  const { features } = values;
  const label = features.replace(/^features\/?/, "") || "whole suite";
  const runs = Number(values.runs);
  const rows: BenchRow[] = [];
  const row = (figure: string, container?: string, uml?: string) => {
    rows.push({ figure, container, uml });
    console.log(`${figure.padEnd(56)} ${[container, uml && `UML: ${uml}`].filter(Boolean).join("  ")}`);
  };

  const harness = await getHarness();
  const untouched: number[] = [];
  const memory: number[] = [];
  const probes: Record<ProbeMode, number[]> = { container: [], nsenter: [] };
  let figures: ClusterFigures;
  try {
    figures = await clusterFigures(harness, runs, async (cluster, swarm) => {
      memory.push(await peakNodeMemory(cluster, () => probeCosts(swarm, probes)));
      // What the pool does after a scenario that changed nothing: look, check clean, hand over.
      const mark = await markActivity(cluster);
      await timed(untouched, async () => {
        const activity = await activitySince(cluster, mark);
        if (activity.length > 0) throw new Error(`bench: activity on an idle cluster: ${activity.join(", ")}`);
        await clusterState(cluster);
      });
    });
  } finally {
    await removeThisRun();
  }
  console.log(`\nswarmnet benchmark: engine ${harness.config.engine.name}, ${runs} run(s) of the cluster figures\n`);
  const [bare, fresh] = [stats(figures.bareMs), stats(figures.freshMs)];
  row("one bare node ready", describeStats(bare));
  row("fresh 3-node swarm ready", describeStats(fresh));
  row("ratio fresh swarm / bare node", `${(fresh.median / bare.median).toFixed(2)}x`);
  row("overlay + 3-replica service running", describeStats(stats(figures.serviceMs)));
  row("hand-over of an untouched cluster (no reset)", describeStats(stats(untouched)));
  row("reset of that cluster", describeStats(stats(figures.resetMs)));
  row("HTTP probe from a task: docker run --rm", describeStats(stats(probes.container)));
  row("HTTP probe from a task: nsenter", describeStats(stats(probes.nsenter)));
  row(
    "peak memory of a node container (3 tasks, probes running)",
    describeStats(stats(memory), (b) => `${(b / 2 ** 20).toFixed(0)} MiB`),
  );

  const suiteRuns = Number(values["suite-runs"]);
  if (suiteRuns > 0) {
    const env = (reuse: boolean, parallel?: number, probes = probesMode) => ({
      SWARMNET_REUSE: String(reuse),
      SWARMNET_PROBES: probes,
      ...(parallel === undefined ? {} : { SWARMNET_PARALLEL: String(parallel) }),
    });
    const serial: number[] = [];
    const serialReuse: number[] = [];
    let count = 0;
    for (let i = 0; i < suiteRuns; i++) {
      const run = await suiteRun([features], env(false, 1));
      serial.push(run.ms);
      count = run.scenarios;
      if (!values["ratio-only"]) serialReuse.push((await suiteRun([features], env(true, 1))).ms);
    }
    const defaults = await suiteRun([features], env(true));
    const perScenario = (ms: number) => seconds(ms / Math.max(1, count));
    row(
      `${label} (${count} scenarios), 1 worker, no reuse`,
      `${seconds(stats(serial).median)}, ${perScenario(stats(serial).median)} a scenario`,
    );
    if (serialReuse.length)
      row(
        `${label}, 1 worker, reuse`,
        `${seconds(stats(serialReuse).median)}, ${perScenario(stats(serialReuse).median)} a scenario`,
      );
    row(
      `${label}, defaults (${harness.config.parallel} workers, reuse)`,
      `${seconds(defaults.ms)} (${defaults.passed} of ${defaults.scenarios} passed); ÷ 1 worker no reuse = ${(defaults.ms / stats(serial).median).toFixed(2)}`,
    );
  }

  const noUml = values["no-uml"] ? "--no-uml" : umlUnavailableReason();
  if (noUml) {
    console.log(`UML nodes: not measured (${noUml})`);
  } else {
    const result = await execa("tsx", ["scripts/bench-cluster.ts", "--runs", String(runs)], {
      preferLocal: true,
      env: umlPassEnv(),
      reject: false,
    });
    const uml = JSON.parse(result.stdout.trim().split("\n").pop() || "{}") as Partial<ClusterFigures>;
    if (!uml.freshMs?.length || !uml.bareMs?.length)
      throw new Error(
        `bench: UML cluster figures missing (exit ${result.exitCode}): ${result.stderr.split("\n").slice(-5).join(" ")}`,
      );
    const umlFresh = stats(uml.freshMs);
    row("one bare node ready", undefined, describeStats(stats(uml.bareMs)));
    row(
      "fresh 3-node swarm ready",
      undefined,
      `${describeStats(umlFresh)}: ${(umlFresh.median / fresh.median).toFixed(1)}x the container swarm`,
    );
    if (uml.serviceMs?.length)
      row("overlay + 3-replica service running", undefined, describeStats(stats(uml.serviceMs)));
    if (uml.resetMs?.length) row("reset of that cluster", undefined, describeStats(stats(uml.resetMs)));
    if (values["uml-scenarios"]) {
      const run = await suiteRun(["--tags", UML_TAGS], umlPassEnv());
      row(
        "the scenarios of the UML pass, alone",
        undefined,
        `${seconds(run.ms)} (${run.passed} of ${run.scenarios} passed)`,
      );
    }
  }

  // The command as it would be typed again, with the settings it ran under.
  const settings = Object.entries(config().given).map(([k, v]) => `${k}=${v} `);
  const command = `${settings.join("")}npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  const table = renderBenchTable(benchContext(), command, mergeRows(rows));
  if (values["no-write"]) console.log(`\n${table}`);
  else {
    await writeBenchTable(PERFORMANCE_DOC, table);
    console.log(`\nwrote the bench table of ${PERFORMANCE_DOC}`);
  }
}

/** Rows of the same figure for both kinds of node become one row. */
function mergeRows(rows: BenchRow[]): BenchRow[] {
  const merged = new Map<string, BenchRow>();
  for (const r of rows) {
    const had = merged.get(r.figure);
    merged.set(r.figure, { figure: r.figure, container: had?.container ?? r.container, uml: had?.uml ?? r.uml });
  }
  return [...merged.values()];
}

await main();
