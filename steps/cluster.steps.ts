// Describing the cluster a scenario runs on, and what `docker node ls` shows.
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { getHarness } from "../support/harness.js";
import { eventually } from "../support/poll.js";
import { clusterShape, type ClusterShape, type NodeListEntry } from "../support/swarm-cluster.js";
import type { NodeRole, StartedSwarmNode } from "../support/swarm-node.js";
import { clusterPool } from "./hooks.js";
import { rowsOf, type Row } from "./tables.js";
import type { SwarmWorld } from "./world.js";

async function startCluster(world: SwarmWorld, shape: (engine: string) => ClusterShape): Promise<void> {
  const harness = await getHarness();
  const pool = await clusterPool();
  world.cluster = await pool.acquire(shape(harness.config.engine.name), { fresh: world.tags.includes("@fresh-cluster") });
}

Given("a swarm with {int} manager(s) and {int} worker(s)", async function (this: SwarmWorld, managers: number, workers: number) {
  await startCluster(this, (engine) => clusterShape(managers, workers, () => engine));
});

Given("a swarm with {int} manager(s)", async function (this: SwarmWorld, managers: number) {
  await startCluster(this, (engine) => clusterShape(managers, 0, () => engine));
});

Given(
  "{int} Docker host(s) on the lab network without a swarm, to become {int} manager(s) and {int} worker(s)",
  async function (this: SwarmWorld, hosts: number, managers: number, workers: number) {
    if (hosts !== managers + workers) throw new Error(`${hosts} hosts cannot become ${managers} managers and ${workers} workers.`);
    await startCluster(this, (engine) => clusterShape(managers, workers, () => engine, false));
  },
);

When("{node} initialises the swarm", async function (this: SwarmWorld, node: StartedSwarmNode) {
  const result = await node.swarmInit();
  this.lastCommand = { node: node.name, command: `docker swarm init --advertise-addr ${node.address} --listen-addr 0.0.0.0`, result };
});

When("{node} joins the swarm as a {role}", async function (this: SwarmWorld, node: StartedSwarmNode, role: NodeRole) {
  const token = await this.manager.joinToken(role);
  const result = await node.swarmJoin(token, this.manager.address);
  this.lastCommand = { node: node.name, command: `docker swarm join --token <${role} token> ${this.manager.address}:2377`, result };
});

Then("the swarm has {int} Ready node(s)", async function (this: SwarmWorld, count: number) {
  const list = await this.cluster.waitForReadyNodes(count);
  expect(list).toHaveLength(count);
});

Then("{node} is the Leader", async function (this: SwarmWorld, node: StartedSwarmNode) {
  const list = await this.cluster.nodeList();
  const leaders = list.filter((n) => n.ManagerStatus === "Leader").map((n) => n.Hostname);
  expect(leaders).toEqual([node.name]);
});

Then("`docker node ls` on {node} shows:", async function (this: SwarmWorld, node: StartedSwarmNode, table: DataTable) {
  const expected = rowsOf(table, ["hostname"], ["status", "availability", "manager status", "engine"]);
  const columns = Object.keys(expected[0]);
  const byName = (a: Row, b: Row) => a.hostname.localeCompare(b.hostname);
  // Nodes become Ready a moment after they join: poll, and report the last picture seen.
  await eventually("`docker node ls` to show the expected nodes", async () => {
    const seen = (await this.cluster.nodeList(node)).map((n) => nodeLsRow(n, columns));
    expect(seen.sort(byName)).toEqual([...expected].sort(byName));
  });
});

Then("`docker node ls` on {node} shows each node's engine version as its daemon reports it", async function (this: SwarmWorld, node: StartedSwarmNode) {
  const listed = await this.cluster.nodeList(node);
  const members = this.cluster.nodes.filter((n) => listed.some((l) => l.Hostname === n.name));
  const reported = await Promise.all(members.map(async (n) => [n.name, await n.engineVersion()]));
  expect(Object.fromEntries(listed.map((l) => [l.Hostname, l.EngineVersion]))).toEqual(Object.fromEntries(reported));
});

function nodeLsRow(entry: NodeListEntry, columns: string[]): Row {
  const all: Row = {
    hostname: entry.Hostname,
    status: entry.Status,
    availability: entry.Availability,
    "manager status": entry.ManagerStatus,
    // The engine line (20.10) rather than the package version (20.10.24+dfsg1).
    engine: entry.EngineVersion.split(".").slice(0, 2).join("."),
  };
  return Object.fromEntries(columns.map((c) => [c, all[c]]));
}
