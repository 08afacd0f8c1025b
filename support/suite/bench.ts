// What `npm run bench` measures, and how its figures become the bench table of
// docs/performance.md. It asserts nothing: figures and ratios are for people.
import { execSync } from "node:child_process";
import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { cpus, totalmem, tmpdir, release } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { resetCluster } from "../cluster/cluster-reset.js";
import { StartedContainerNode } from "../cluster/container-node.js";
import { SwarmClusterBuilder, type StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import { outerDocker } from "../host/docker-host.js";
import type { Harness } from "../host/harness.js";
import { reachabilityScript } from "../probes/http.js";
import { runProbe } from "../probes/runner.js";
import { PROBE_MODES, type ProbeMode } from "../run/config.js";
import { PORTS } from "../run/limits.js";
import { scenarioOutcomes } from "../report/outcomes.js";
import { addressOf } from "../swarm/endpoints.js";
import { Swarm } from "../swarm/swarm.js";
import { runCucumber } from "./cucumber.js";

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) throw new Error("bench: no samples to summarise");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  samples.push(performance.now() - start);
  return result;
}

/** What the bench does with a cluster between its start and its reset, as most scenarios begin. */
export async function busyCluster(cluster: StartedSwarmCluster): Promise<Swarm> {
  const swarm = new Swarm(cluster);
  await swarm.createOverlay("bench-net");
  await swarm.createService({ name: "bench-web", replicas: 3, networks: ["bench-net"] });
  return swarm;
}

export interface ClusterFigures {
  bareMs: number[];
  freshMs: number[];
  serviceMs: number[];
  resetMs: number[];
}

/**
 * Cluster figures for the run's kind of node: one bare node, then a fresh 3-node swarm,
 * an overlay and a 3-replica service on it, and the reset a reused cluster gets.
 * `during` runs on each busy cluster before its reset (more figures from it).
 */
export async function clusterFigures(
  harness: Harness,
  runs: number,
  during: (cluster: StartedSwarmCluster, swarm: Swarm) => Promise<void> = async () => {},
): Promise<ClusterFigures> {
  const engine = harness.config.engine.name;
  const figures: ClusterFigures = { bareMs: [], freshMs: [], serviceMs: [], resetMs: [] };
  const manager = () => new SwarmClusterBuilder(harness.host).withNodesOf("manager", 1, engine);
  for (let i = 0; i < runs; i++) {
    const bare = await timed(figures.bareMs, () => manager().withoutSwarm().start());
    await bare.stop();
    const cluster = await timed(figures.freshMs, () => manager().withNodesOf("worker", 2, engine).start());
    const swarm = await timed(figures.serviceMs, () => busyCluster(cluster));
    await during(cluster, swarm);
    await timed(figures.resetMs, () => resetCluster(cluster));
    await cluster.stop();
  }
  return figures;
}

/** Highest memory use seen among the cluster's node containers while `work` runs. */
export async function peakNodeMemory(cluster: StartedSwarmCluster, work: () => Promise<void>): Promise<number> {
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
export async function probeCosts(swarm: Swarm, into: Record<ProbeMode, number[]>): Promise<void> {
  const [from, to] = await swarm.taskEndpoints("bench-web");
  const script = reachabilityScript([{ host: addressOf(to), port: PORTS.http }]);
  await runProbe(from, script, "nsenter"); // unpacks the probe image's files once per node
  for (let i = 0; i < 5; i++) {
    for (const mode of PROBE_MODES) await timed(into[mode], () => runProbe(from, script, mode));
  }
}

export interface SuiteRun {
  ms: number;
  scenarios: number;
  passed: number;
  exitCode: number;
}

/** One cucumber run of `args` with `env`, timed; its scenarios counted from its message stream. */
export async function suiteRun(args: string[], env: Record<string, string>): Promise<SuiteRun> {
  const dir = await mkdtemp(join(tmpdir(), "swarmnet-bench-"));
  try {
    const messages = join(dir, "messages.ndjson");
    const start = performance.now();
    const { exitCode } = await runCucumber([...args, "--format", `message:${messages}`], { env, capture: true });
    const ms = performance.now() - start;
    const outcomes = scenarioOutcomes(await readFile(messages, "utf8").catch(() => ""));
    return { ms, exitCode, scenarios: outcomes.length, passed: outcomes.filter((o) => o.status === "passed").length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One row of the bench table: a figure, per node kind. */
export interface BenchRow {
  figure: string;
  container?: string;
  uml?: string;
}

export const describeStats = (s: Stats, unit = seconds) => `${unit(s.median)} (${unit(s.min)}, ${unit(s.max)})`;

/** Date, machine, commit: what a figure needs to be read later. */
export function benchContext(): string {
  const commit = (() => {
    try {
      const head = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
      const dirty = execSync("git status --porcelain --untracked-files=no", { encoding: "utf8" }).trim();
      return dirty ? `${head} with uncommitted changes` : head;
    } catch {
      return "(not a git checkout)";
    }
  })();
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`;
  return `${new Date().toISOString().slice(0, 10)}, ${machine}, commit ${commit}`;
}

export function renderBenchTable(context: string, command: string, rows: BenchRow[]): string {
  return [
    `${context}, \`${command}\`. Median (min, max).`,
    "",
    "| figure | container nodes | UML nodes |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.figure} | ${r.container ?? ""} | ${r.uml ?? ""} |`),
  ].join("\n");
}

const START = /<!-- bench:start[^>]*-->\n/;
const END = "<!-- bench:end -->";

/** `doc` with the text between its bench markers replaced by `table`. */
export function withBenchTable(doc: string, table: string): string {
  const start = START.exec(doc);
  const end = doc.indexOf(END);
  if (!start || end < start.index)
    throw new Error(`bench: no "<!-- bench:start -->" … "${END}" markers to write between`);
  return `${doc.slice(0, start.index + start[0].length)}${table}\n${doc.slice(end)}`;
}

export async function writeBenchTable(path: string, table: string): Promise<void> {
  await writeFile(path, withBenchTable(await readFile(path, "utf8"), table));
}
