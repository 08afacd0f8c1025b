// Describing the cluster a scenario runs on, and what `docker node ls` shows.
import { performance } from "node:perf_hooks";
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { resetCluster } from "../support/cluster/cluster-reset.js";
import { clusterShape, withKernels, type ClusterShape } from "../support/cluster/cluster-shape.js";
import { forEachNode, perNode } from "../support/cluster/per-node.js";
import type { NodeListEntry } from "../support/cluster/swarm-cluster.js";
import type { NodeRole, StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { engineOrigin, getHarness } from "../support/host/harness.js";
import { engineLineOf, findEngine, type EngineLine, type EngineTable } from "../support/run/engines.js";
import { PORTS } from "../support/run/limits.js";
import { findKernel, loadKernelTable, type KernelLine } from "../support/run/kernels.js";
import { dataSubnetFor } from "../support/run/config.js";
import { formatSeconds } from "../support/run/log.js";
import { FRESH_CLUSTER_TAG } from "../support/run/tags.js";
import { eventually } from "../support/run/poll.js";
import { clusterFingerprint } from "../support/swarm/fingerprint.js";
import { clusterPool } from "./hooks.js";
import { rowsOf, type Row } from "./tables.js";
import { backendMismatches } from "../support/text/iptables-save.js";
import type { SwarmWorld } from "./world.js";

/** The engine for nodes a step does not give one: the profile's world parameter, else SWARMNET_ENGINE. */
async function defaultEngine(world: SwarmWorld): Promise<string> {
  const harness = await getHarness();
  const fromProfile = world.parameters.engine;
  return fromProfile ? findEngine(harness.engines, fromProfile).name : harness.config.engine.name;
}

async function startCluster(world: SwarmWorld, shape: (engine: string) => ClusterShape): Promise<void> {
  const pool = await clusterPool();
  const started = performance.now();
  world.cluster = await pool.acquire(shape(await defaultEngine(world)), {
    fresh: world.tags.includes(FRESH_CLUSTER_TAG),
  });
  const seconds = (performance.now() - started) / 1000;
  // The engines the nodes really run, as their daemons report them, where each engine
  // came from, and what each node is.
  const harness = await getHarness();
  const nodes = await Promise.all(
    (await world.cluster.nodesSeen()).map(async (n) => ({ ...n, origin: await engineOrigin(harness, n.engine) })),
  );
  const labSubnet = world.cluster.labSubnet;
  world.observe({
    kind: "cluster",
    handOver: pool.lastDecision ?? "fresh",
    seconds,
    labSubnet,
    dataSubnet: dataSubnetFor(labSubnet),
    nodes,
  });
  world.note(
    `cluster hand-over: ${pool.lastDecision} in ${formatSeconds(seconds * 1000)}\n` +
      `cluster: ${nodes.map((n) => `${n.name} ${n.address} engine ${n.engine} (${n.origin}), ${n.kind}`).join("; ")}`,
  );
}

/** "26.1 and 28.5", "20.10, 26.1 and 28.5": engine names, each checked against fixtures/engines.json. */
async function engineList(text: string): Promise<string[]> {
  const { engines } = await getHarness();
  return text.split(/\s*,\s*|\s+and\s+/).map((e) => findEngine(engines, e.trim()).name);
}

Given(
  "a swarm with a {engine} manager and workers on {}",
  async function (this: SwarmWorld, manager: EngineLine, workerEngines: string) {
    const workers = await engineList(workerEngines);
    await startCluster(this, () =>
      clusterShape(1, workers.length, (role, i) => (role === "manager" ? manager.name : workers[i])),
    );
  },
);

When(
  "{node} is replaced by a node on engine {engine}",
  async function (this: SwarmWorld, node: StartedSwarmNode, engine: EngineLine) {
    const fresh = await this.cluster.replaceNode(node.name, engine.name);
    this.log(`${fresh.name} replaced: now engine ${await fresh.engineVersion()}`);
  },
);

Given(
  "a swarm with {int} manager(s) and {int} worker(s)",
  async function (this: SwarmWorld, managers: number, workers: number) {
    await startCluster(this, (engine) => clusterShape(managers, workers, () => engine));
  },
);

Given(
  "a swarm with {int} manager(s) and {int} worker(s) on engine {engine}",
  async function (this: SwarmWorld, managers: number, workers: number, engine: EngineLine) {
    await startCluster(this, () => clusterShape(managers, workers, () => engine.name));
  },
);

/** "6.12 and 7.2": kernel lines, each checked against fixtures/kernels.json. */
function kernelList(text: string): string[] {
  return text.split(/\s*,\s*|\s+and\s+/).map((k) => findKernel(loadKernelTable(), k.trim()).name);
}

/** Kernel lines are what UML nodes boot: a container node has the host's kernel. */
async function requireUmlNodes(): Promise<void> {
  const { host } = await getHarness();
  if (host.nodeKind !== "uml")
    throw new Error("A kernel line needs UML nodes (SWARMNET_NODES=uml, or tag the scenario @machine).");
}

Given(
  "a swarm with {int} manager(s) and {int} worker(s) on kernel {kernel}",
  async function (this: SwarmWorld, managers: number, workers: number, kernel: KernelLine) {
    await requireUmlNodes();
    await startCluster(this, (engine) =>
      withKernels(
        clusterShape(managers, workers, () => engine),
        () => kernel.name,
      ),
    );
  },
);

Given(
  "a swarm with a manager on kernel {kernel} and workers on kernels {}",
  async function (this: SwarmWorld, manager: KernelLine, workerKernels: string) {
    await requireUmlNodes();
    const workers = kernelList(workerKernels);
    await startCluster(this, (engine) =>
      withKernels(
        clusterShape(1, workers.length, () => engine),
        (plan, i) => (plan.role === "manager" ? manager.name : workers[i - 1]),
      ),
    );
  },
);

/** Each node's kernel line, from `uname -r` on the node itself. */
async function kernelLines(world: SwarmWorld): Promise<Record<string, string>> {
  const { kernels } = loadKernelTable();
  const releases = await perNode(world.cluster.nodes, async (n) => (await n.runOk(["uname", "-r"])).stdout.trim());
  world.log(`kernels: ${JSON.stringify(releases)}`);
  return Object.fromEntries(
    Object.entries(releases).map(([node, release]) => [
      node,
      kernels.find((k) => release.startsWith(`${k.name}.`))?.name ?? release,
    ]),
  );
}

Then("every node runs kernel {kernel}", async function (this: SwarmWorld, kernel: KernelLine) {
  expect(await kernelLines(this)).toEqual(forEachNode(this.cluster.nodes, kernel.name));
});

Then("the nodes run these kernels:", async function (this: SwarmWorld, table: DataTable) {
  const kernels = loadKernelTable();
  const expected = Object.fromEntries(
    rowsOf(table, ["node", "kernel"]).map((row) => [
      this.cluster.node(row.node).name,
      findKernel(kernels, row.kernel).name,
    ]),
  );
  expect(await kernelLines(this)).toEqual(expected);
});

Given(
  "a swarm with {int} manager(s) and {int} worker(s), its VXLAN traffic on a data network",
  async function (this: SwarmWorld, managers: number, workers: number) {
    await startCluster(this, (engine) => ({ ...clusterShape(managers, workers, () => engine), dataNetwork: true }));
  },
);

Given("a swarm with {int} manager(s)", async function (this: SwarmWorld, managers: number) {
  await startCluster(this, (engine) => clusterShape(managers, 0, () => engine));
});

Given(
  "{int} Docker host(s) on the lab network without a swarm, to become {int} manager(s) and {int} worker(s)",
  async function (this: SwarmWorld, hosts: number, managers: number, workers: number) {
    if (hosts !== managers + workers)
      throw new Error(`${hosts} hosts cannot become ${managers} managers and ${workers} workers.`);
    await startCluster(this, (engine) => clusterShape(managers, workers, () => engine, false));
  },
);

When("{node} initialises the swarm", async function (this: SwarmWorld, node: StartedSwarmNode) {
  const result = await this.cluster.initSwarm(node);
  this.memory.remember("last command", {
    node: node.name,
    command: `docker swarm init --advertise-addr ${node.address} --listen-addr 0.0.0.0`,
    result,
  });
});

When("{node} joins the swarm as a {role}", async function (this: SwarmWorld, node: StartedSwarmNode, role: NodeRole) {
  const result = await this.cluster.joinSwarm(node, role);
  this.memory.remember("last command", {
    node: node.name,
    command: `docker swarm join --token <${role} token> ${this.manager.address}:${PORTS.swarmManagement}`,
    result,
  });
});

Then("the swarm has {int} Ready node(s)", async function (this: SwarmWorld, count: number) {
  const list = await this.cluster.waitForReadyNodes(count);
  expect(list).toHaveLength(count);
});

Then("every node's dockerd keeps its rules in this run's iptables backend only", async function (this: SwarmWorld) {
  const { host } = await getHarness();
  const seen = await perNode(this.cluster.nodes, async (node) => ({
    backend: await node.iptablesBackend(),
    ...(await node.dockerChainsByBackend()),
  }));
  this.log(`iptables, as each node reports it, and Docker's chains in each backend: ${JSON.stringify(seen)}`);
  const wrong = Object.fromEntries(
    Object.entries(seen).map(([node, s]) => [node, backendMismatches(s, host.iptables)]),
  );
  expect(wrong).toEqual(forEachNode(this.cluster.nodes, []));
});

Then("{node} is the Leader", async function (this: SwarmWorld, node: StartedSwarmNode) {
  const leaders = (await this.cluster.nodeList()).filter((n) => n.ManagerStatus === "Leader").map((n) => n.Hostname);
  expect(leaders).toEqual([node.name]);
});

Then("`docker node ls` on {node} shows:", async function (this: SwarmWorld, node: StartedSwarmNode, table: DataTable) {
  const expected = rowsOf(table, ["hostname"], ["status", "availability", "manager status", "engine"]);
  const columns = Object.keys(expected[0]);
  const { engines } = await getHarness();
  const byName = (a: Row, b: Row) => a.hostname.localeCompare(b.hostname);
  // Nodes become Ready a moment after they join: poll, and report the last picture seen.
  await eventually("`docker node ls` to show the expected nodes", async () => {
    const seen = (await this.cluster.nodeList(node)).map((n) => nodeLsRow(n, columns, engines));
    expect(seen.sort(byName)).toEqual([...expected].sort(byName));
  });
});

Then(
  "`docker node ls` on {node} shows each node's engine version as its daemon reports it",
  async function (this: SwarmWorld, node: StartedSwarmNode) {
    const listed = await this.cluster.nodeList(node);
    const members = this.cluster.nodes.filter((n) => listed.some((l) => l.Hostname === n.name));
    const reported = await perNode(members, (n) => n.engineVersion());
    expect(Object.fromEntries(listed.map((l) => [l.Hostname, l.EngineVersion]))).toEqual(reported);
  },
);

function nodeLsRow(entry: NodeListEntry, columns: string[], engines: EngineTable): Row {
  const all: Row = {
    hostname: entry.Hostname,
    status: entry.Status,
    availability: entry.Availability,
    "manager status": entry.ManagerStatus,
    // The engine line (20.10, 20.10.5) rather than the package version (20.10.24+dfsg1).
    engine: engineLineOf(engines, entry.EngineVersion),
  };
  return Object.fromEntries(columns.map((c) => [c, all[c]]));
}

Then("after a reset, the cluster looks to a scenario exactly as it did when fresh", async function (this: SwarmWorld) {
  const fresh = await clusterFingerprint(this.cluster);
  await resetCluster(this.cluster);
  const reused = await clusterFingerprint(this.cluster);
  this.log(`fresh: ${JSON.stringify(fresh)}\nreset: ${JSON.stringify(reused)}`);
  expect(reused).toEqual(fresh);
});
