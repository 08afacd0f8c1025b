// `npm run bench`: how fast swarmnet is on this machine. Prints figures and ratios
// (median, min, max over several runs); asserts nothing. Not part of `npm test`.
//   npm run bench -- --runs 5 --suite-runs 1
//   npm run bench -- --runs 1 --features features --no-uml   (the whole host suite: hours)
//   npm run bench -- --runs 1 --features features --no-uml --ratio-only   (its ratio alone)
//   ... --probes nsenter   (the suite runs with another probe mode than the default)
//   npm run bench -- --runs 3 --suite-runs 0 --uml-scenarios   (UML nodes: clusters, and the scenarios they run)
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { activitySince, markActivity } from "../support/cluster/cluster-activity.js";
import { clusterState, resetCluster } from "../support/cluster/cluster-reset.js";
import { outerDocker } from "../support/host/docker-host.js";
import { getHarness } from "../support/host/harness.js";
import { SwarmClusterBuilder, type StartedSwarmCluster } from "../support/cluster/swarm-cluster.js";
import { removeThisRun } from "../support/host/cleanup.js";
import { StartedContainerNode } from "../support/cluster/container-node.js";
import { umlUnavailableReason } from "../support/host/uml-kernel.js";
import type { Swarm } from "../support/swarm/swarm.js";
import { addressOf } from "../support/swarm/endpoints.js";
import { reachabilityScript } from "../support/probes/http.js";
import { runProbe } from "../support/probes/runner.js";
import { config, PROBE_MODES, type ProbeMode } from "../support/run/config.js";
import { KERNEL_TAGS, umlPassEnv } from "../support/run/uml-pass.js";
import { MACHINE_TAG } from "../support/host/kernel-capabilities.js";
import { PORTS } from "../support/run/limits.js";
import type { ClusterFigures } from "./bench-cluster.js";
import { busyCluster } from "./bench-workload.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "suite-runs": { type: "string", default: "1" },
    // What the suite figures run: the tutorial by default (minutes); `features` is the
    // whole suite on the host kernel (its @ipvs/@esp scenarios skipped where it lacks them).
    features: { type: "string", default: "features/tutorial" },
    // Spelt out: parseArgs takes --no-<option> only from Node 22.4 on.
    "no-uml": { type: "boolean", default: false },
    // Only the runs the issue's ratio compares (serial without reuse, the defaults):
    // half the time of all four on the whole suite.
    "ratio-only": { type: "boolean", default: false },
    // How the suite runs' probes enter namespaces, to measure a candidate default.
    probes: { type: "string", default: config().probes },
    // The scenarios that run on UML nodes, once, alone (about 15 minutes here).
    "uml-scenarios": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const suiteRuns = Number(values["suite-runs"]);
const features = values.features;
const ratioOnly = values["ratio-only"];
if (!(PROBE_MODES as readonly string[]).includes(values.probes))
  throw new Error(`bench: --probes ${values.probes}: expected one of ${PROBE_MODES.join(", ")}`);
const suiteProbes = values.probes as ProbeMode;
const label = features.replace(/^features\/?/, "") || "whole suite";

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
const line = (what: string, s: Stats, unit = seconds) =>
  console.log(`${what.padEnd(48)} median ${unit(s.median)}  (min ${unit(s.min)}, max ${unit(s.max)})`);

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

/** Highest memory use seen among the cluster's node containers while `work` runs. */
async function peakNodeMemory(cluster: StartedSwarmCluster, work: () => Promise<void>): Promise<number> {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const usages = await Promise.all(
        cluster.nodes
          .filter((n) => n instanceof StartedContainerNode)
          .map(async (n) => {
            const s = (await outerDocker().getContainer(n.getId()).stats({ stream: false })) as {
              memory_stats?: { usage?: number };
            };
            return s.memory_stats?.usage ?? 0;
          }),
      );
      peak = Math.max(peak, ...usages);
    }
  })();
  try {
    await work();
  } finally {
    sampling = false;
    await sampler;
  }
  return peak;
}

/** One HTTP probe from a task to another, each way a probe can get into the task's namespace, taking turns. */
async function probeCosts(swarm: Swarm, into: Record<ProbeMode, number[]>): Promise<void> {
  const [from, to] = await swarm.taskEndpoints("bench-web");
  const script = reachabilityScript([{ host: addressOf(to), port: PORTS.http }]);
  await runProbe(from, script, "nsenter"); // unpacks the probe image's files once per node
  for (let i = 0; i < 5; i++) {
    for (const mode of PROBE_MODES) into[mode].push((await time(() => runProbe(from, script, mode)))[0]);
  }
}

function perScenario(run: { ms: number; scenarios: number }): number {
  return run.ms / Math.max(1, run.scenarios);
}

/** One run of the bench's features; `parallel` unset: the default workers (support/run/config.ts). */
async function suiteSeconds(
  reuse: boolean,
  { parallel, probes = suiteProbes }: { parallel?: number; probes?: ProbeMode } = {},
): Promise<{ ms: number; scenarios: number }> {
  const start = performance.now();
  const workers = parallel === undefined ? {} : { SWARMNET_PARALLEL: String(parallel) };
  // cucumber-js as the child, not npx, which does not pass SIGTERM on (see suite.ts).
  const result = await execa("cucumber-js", [features, "--format", "summary"], {
    preferLocal: true,
    env: { SWARMNET_REUSE: String(reuse), SWARMNET_PROBES: probes, ...workers },
    reject: false,
  });
  const ms = performance.now() - start;
  const scenarios = Number(/(\d+) scenarios?/.exec(result.stdout)?.[1] ?? "0");
  if (result.exitCode !== 0)
    console.log(`(${features} exited ${result.exitCode}: ${result.stdout.split("\n").slice(-4).join(" ")})`);
  return { ms, scenarios };
}

const harness = await getHarness();
const host = harness.host;
const engine = harness.config.engine.name;
const bare: number[] = [];
const fresh: number[] = [];
const reset: number[] = [];
const untouched: number[] = [];
const memory: number[] = [];
const probes: Record<ProbeMode, number[]> = { container: [], nsenter: [] };
try {
  for (let i = 0; i < runs; i++) {
    const [bareMs, node] = await time(() =>
      new SwarmClusterBuilder(host).withNodesOf("manager", 1, engine).withoutSwarm().start(),
    );
    bare.push(bareMs);
    await node.stop();
    const [freshMs, cluster] = await time(() =>
      new SwarmClusterBuilder(host).withNodesOf("manager", 1, engine).withNodesOf("worker", 2, engine).start(),
    );
    fresh.push(freshMs);
    let swarm: Swarm | undefined;
    memory.push(await peakNodeMemory(cluster, async () => void (swarm = await busyCluster(cluster))));
    if (swarm) await probeCosts(swarm, probes);
    const [resetMs] = await time(() => resetCluster(cluster));
    reset.push(resetMs);
    // What the pool does after a scenario that changed nothing: look, check clean, hand over.
    const mark = await markActivity(cluster);
    const [untouchedMs] = await time(async () => {
      const activity = await activitySince(cluster, mark);
      if (activity.length > 0) throw new Error(`bench: unexpected activity on an idle cluster: ${activity.join(", ")}`);
      await clusterState(cluster);
    });
    untouched.push(untouchedMs);
    await cluster.stop();
  }
} finally {
  await removeThisRun();
}

const suites = { reuse: [] as number[], fresh: [] as number[] };
/** Wall times of whole runs (the issue's target compares these, not per-scenario times). */
const walls = { reuse: [] as number[], fresh: [] as number[] };
let scenarios = 0;
for (let i = 0; i < suiteRuns; i++) {
  for (const reuse of ratioOnly ? [false] : [true, false]) {
    const r = await suiteSeconds(reuse, { parallel: 1 });
    scenarios = r.scenarios;
    suites[reuse ? "reuse" : "fresh"].push(perScenario(r));
    walls[reuse ? "reuse" : "fresh"].push(r.ms);
  }
}

// The same features with the defaults (workers and reuse), once.
const parallelRun = suiteRuns > 0 ? await suiteSeconds(true) : undefined;
// And serially with probes entered by nsenter (opt-in: SWARMNET_PROBES=nsenter), once.
const nsenterRun =
  suiteRuns > 0 && !ratioOnly ? await suiteSeconds(true, { parallel: 1, probes: "nsenter" }) : undefined;

console.log(
  `\nswarmnet benchmark: engine ${engine}, ${runs} runs (cluster figures), ${suiteRuns} run(s) of ${features} (${scenarios} scenarios, ${suiteProbes} probes)\n`,
);
const [b, f, r] = [stats(bare), stats(fresh), stats(reset)];
line("one bare node ready (incl. workload image load)", b);
line("fresh 3-node swarm ready", f);
console.log(`${"  ratio fresh swarm / bare node".padEnd(48)} ${(f.median / b.median).toFixed(2)}x (target <= 3x)`);
line("reset of a reused 3-node cluster", r);
line("hand-over of an untouched cluster (no reset)", stats(untouched));
if (parallelRun && !ratioOnly) {
  line(`${label}, per scenario, with reuse`, stats(suites.reuse));
  line(`${label}, per scenario, fresh cluster each`, stats(suites.fresh));
  console.log(
    `${"  speed-up from reuse".padEnd(48)} ${(stats(suites.fresh).median / stats(suites.reuse).median).toFixed(2)}x (target >= 3x)`,
  );
  const parallelPer = perScenario(parallelRun);
  const workers = harness.config.parallel;
  console.log(
    `${`${label}, per scenario, defaults (${workers} workers)`.padEnd(48)} ${seconds(parallelPer)} (one run; ${(stats(suites.reuse).median / parallelPer).toFixed(2)}x vs 1 worker)`,
  );
}
if (parallelRun) {
  const serialNoReuse = stats(walls.fresh).median;
  const serialReuse = ratioOnly ? "(not run)" : seconds(stats(walls.reuse).median);
  console.log(
    `${`${label}, wall: 1 worker no reuse / reuse / defaults`.padEnd(48)} ` +
      `${seconds(serialNoReuse)} / ${serialReuse} / ${seconds(parallelRun.ms)}; ` +
      `defaults ÷ serial no reuse = ${(parallelRun.ms / serialNoReuse).toFixed(2)} (target <= 0.5)`,
  );
}
if (nsenterRun) {
  const nsenterPer = perScenario(nsenterRun);
  console.log(
    `${`${label}, per scenario, reuse + nsenter probes`.padEnd(48)} ${seconds(nsenterPer)} (one run; ${(stats(suites.reuse).median / nsenterPer).toFixed(2)}x vs docker run probes)`,
  );
}
line("probe from a task: docker run --rm", stats(probes.container));
line("probe from a task: nsenter (SWARMNET_PROBES)", stats(probes.nsenter));
console.log(
  `${"  ratio docker run / nsenter".padEnd(48)} ${(stats(probes.container).median / stats(probes.nsenter).median).toFixed(1)}x`,
);
line("peak memory of a node container (3 tasks)", stats(memory), (bytes) => `${(bytes / 2 ** 20).toFixed(0)}MiB`);

// UML nodes (where the host kernel lacks IPVS or ESP, and for machine faults, the
// scenarios run on them): a cluster of them against the container nodes above.
const noUml = values["no-uml"] ? "--no-uml" : umlUnavailableReason();
if (noUml) {
  console.log(`UML nodes: not measured (${noUml})`);
} else {
  const result = await execa("tsx", ["scripts/bench-cluster.ts", "--runs", String(runs)], {
    preferLocal: true,
    env: umlPassEnv(),
    reject: false,
  });
  const figures = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as Partial<ClusterFigures>;
  if (figures.freshMs && figures.bareMs) {
    line("UML: one bare node ready", stats(figures.bareMs));
    line("UML: fresh 3-node swarm ready", stats(figures.freshMs));
    const ratio = stats(figures.freshMs).median / stats(fresh).median;
    console.log(`${"  ratio UML swarm / container swarm".padEnd(48)} ${ratio.toFixed(1)}x (target <= 10x; <= 30 s)`);
    if (figures.serviceMs?.length) line("UML: overlay + 3-replica service running", stats(figures.serviceMs));
    if (figures.resetMs?.length) line("UML: reset of that cluster", stats(figures.resetMs));
  } else {
    console.log(
      `UML cluster figures missing (exit ${result.exitCode}): ${result.stderr.split("\n").slice(-5).join(" ")}`,
    );
  }
  if (values["uml-scenarios"]) {
    // The scenarios `npm start` sends to UML nodes here, alone, as its UML pass runs them.
    const tags = `${KERNEL_TAGS} or ${MACHINE_TAG}`;
    const start = performance.now();
    const run = await execa("cucumber-js", ["--tags", tags, "--format", "summary"], {
      preferLocal: true,
      env: umlPassEnv(),
      reject: false,
    });
    const scenarios = /(\d+) scenarios? \(([^)]*)\)/.exec(run.stdout);
    console.log(
      `${"UML: the scenarios of the UML pass, wall".padEnd(48)} ${seconds(performance.now() - start)} ` +
        `(${scenarios ? `${scenarios[1]} scenarios: ${scenarios[2]}` : `exit ${run.exitCode}`}; target <= 10 min)`,
    );
  }
}
