// Traffic and DNS between tasks and containers, observed from inside their namespaces.
import { Given, Then, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { IN_NODE_PROBE_IMAGE, IN_NODE_WEB_IMAGE } from "../support/images/catalogue.js";
import { addressOf, containerEndpoint, localTaskEndpoint, taskEndpoints, type Endpoint } from "../support/endpoints.js";
import { eventually } from "../support/poll.js";
import { desiredTasks } from "../support/service-tasks.js";
import { formatTruthTable, type TruthRow } from "../support/truth-table.js";
import { httpReachability, httpResponses, resolveName } from "../support/traffic.js";
import type { StartedSwarmNode } from "../support/swarm-node.js";
import { rowsOf, yesNo } from "./tables.js";
import type { SwarmWorld } from "./world.js";

const HTTP_PORT = 80;

Given("a web server {word} on the host network of {node}", async function (this: SwarmWorld, name: string, node: StartedSwarmNode) {
  // Outside every overlay: it answers on the node's own lab address.
  await node.dockerOk(["run", "-d", "--name", name, "--network", "host", IN_NODE_WEB_IMAGE]);
  this.containers.set(name, node);
});

Given("a container {word} on {node} on network {network}", async function (this: SwarmWorld, name: string, node: StartedSwarmNode, network: string) {
  await node.dockerOk(["run", "-d", "--name", name, "--network", network, IN_NODE_PROBE_IMAGE, "sleep", "3600"]);
  this.containers.set(name, node);
});

/** "outsider" (a container of the scenario), "my-web.2" (a task slot), "my-web@worker1" (the task on a node). */
async function endpointNamed(world: SwarmWorld, label: string): Promise<Endpoint> {
  const node = world.containers.get(label);
  if (node) return containerEndpoint(node, label);
  const onNode = /^(.+)@(.+)$/.exec(label);
  if (onNode) {
    world.servicesSeen.add(onNode[1]);
    return localTaskEndpoint(world.cluster.node(onNode[2]), onNode[1]);
  }
  const slot = /^(.+)\.(\d+)$/.exec(label);
  if (slot) {
    world.servicesSeen.add(slot[1]);
    const task = (await taskEndpoints(world.cluster, slot[1])).find((t) => t.label === label);
    if (task) return task;
  }
  const known = [...world.containers.keys()];
  throw new Error(`Unknown endpoint "${label}": name a task slot like my-web.1 or a container of this scenario (${known.join(", ") || "none started"}).`);
}

function checkEndpointName(world: SwarmWorld, label: string): void {
  const onNode = /^(.+)@(.+)$/.exec(label);
  if (onNode) world.cluster.node(onNode[2]);
  else if (!world.containers.has(label) && !/^(.+)\.(\d+)$/.test(label)) {
    const known = [...world.containers.keys()];
    throw new Error(`Unknown endpoint "${label}": name a task slot like my-web.1, a task by node like my-web@worker1, or a container of this scenario (${known.join(", ") || "none started"}).`);
  }
}

Then("from every task of {service}, HTTP to every other task answers", async function (this: SwarmWorld, service: string) {
  const tasks = await taskEndpoints(this.cluster, service);
  expect(tasks.length).toBeGreaterThan(1);
  const rows: TruthRow[] = [];
  for (const from of tasks) {
    const others = tasks.filter((t) => t !== from);
    const answers = await httpReachability(from, others.map((t) => ({ label: t.label, host: addressOf(t), port: HTTP_PORT })));
    others.forEach((to, i) => rows.push({ from: from.label, to: `${to.label} (${to.node.name})`, expected: true, observed: answers[i] }));
  }
  if (rows.some((r) => r.expected !== r.observed)) throw new Error(`HTTP reachability differs:\n${formatTruthTable(rows)}`);
});

Then("HTTP reachability on port {int} is:", async function (this: SwarmWorld, port: number, table: DataTable) {
  await reachabilityTable(this, port, table, 60);
});

Then("within {int} s, HTTP reachability on port {int} is:", async function (this: SwarmWorld, seconds: number, port: number, table: DataTable) {
  await reachabilityTable(this, port, table, seconds);
});

async function reachabilityTable(world: SwarmWorld, port: number, table: DataTable, seconds: number): Promise<void> {
  const wanted = rowsOf(table, ["from", "to", "expected"]).map((row, i) => ({ from: row.from, to: row.to, expected: yesNo(row, "expected", i) }));
  // Misspelt names fail at once, not after the wait below.
  for (const row of wanted) for (const label of [row.from, row.to]) checkEndpointName(world, label);
  // Re-observed until it matches: after a fault is lifted, reachability comes back over seconds.
  let rows: TruthRow[] = [];
  await eventually("the HTTP reachability table", async () => {
    rows = [];
    for (const row of wanted) {
      const [from, to] = [await endpointNamed(world, row.from), await endpointNamed(world, row.to)];
      const [observed] = await httpReachability(from, [{ label: to.label, host: addressOf(to), port }]);
      rows.push({ from: row.from, to: row.to, expected: row.expected, observed });
    }
    if (rows.some((r) => r.expected !== r.observed)) throw new Error(`HTTP reachability differs from the expected table:\n${formatTruthTable(rows)}`);
  }, { timeoutMs: seconds * 1000, intervalMs: 1000 });
  world.log(`observed HTTP reachability${world.sinceLastAction()}:\n${formatTruthTable(rows)}`);
}

Then("from every task of {service}, {string} resolves to the addresses of the tasks of {service}", async function (this: SwarmWorld, service: string, name: string, target: string) {
  await eventually(`${name} to resolve to the tasks of ${target}`, async () => {
    const [sources, targets] = [await taskEndpoints(this.cluster, service), await taskEndpoints(this.cluster, target)];
    const expected = targets.map((t) => addressOf(t)).sort();
    const seen = await Promise.all(sources.map(async (s) => [s.label, await resolveName(s, name)]));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(sources.map((s) => [s.label, expected])));
  });
});

Then("from every task of {service}, {string} resolves to nothing", async function (this: SwarmWorld, service: string, name: string) {
  await eventually(`${name} to stop resolving`, async () => {
    const sources = await taskEndpoints(this.cluster, service);
    const seen = await Promise.all(sources.map(async (s) => [s.label, await resolveName(s, name)]));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(sources.map((s) => [s.label, []])));
  });
});

Then("port {int} answers HTTP only on the nodes running a task of {service}", async function (this: SwarmWorld, port: number, service: string) {
  await eventually(`port ${port} to answer only where ${service} runs`, async () => {
    const running = new Set((await desiredTasks(this.cluster, service)).filter((t) => t.currentState.startsWith("Running")).map((t) => t.node));
    const nodes = this.cluster.nodes;
    const answers = await httpReachabilityFromHost(this.manager, nodes.map((n) => n.address), port);
    this.log(`port ${port}: ${nodes.map((n, i) => `${n.name} ${answers[i] ? "answers" : "silent"}`).join(", ")}; ${service} runs on ${[...running].join(", ")}`);
    expect(Object.fromEntries(nodes.map((n, i) => [n.name, answers[i]]))).toEqual(Object.fromEntries(nodes.map((n) => [n.name, running.has(n.name)])));
  });
});

Then("from every task of {service}, {string} resolves to the virtual IP of {service}", async function (this: SwarmWorld, service: string, name: string, target: string) {
  const vips = (await this.manager.inspect<{ Endpoint: { VirtualIPs?: { Addr: string }[] } }>("service", target)).Endpoint.VirtualIPs ?? [];
  const expected = vips.map((v) => v.Addr.split("/")[0]).sort();
  const sources = await taskEndpoints(this.cluster, service);
  const seen = await Promise.all(sources.map(async (s) => [s.label, await resolveName(s, name)]));
  expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(sources.map((s) => [s.label, expected])));
});

Then("from every task of {service}, HTTP to {string} answers", async function (this: SwarmWorld, service: string, host: string) {
  const sources = await taskEndpoints(this.cluster, service);
  const seen = await Promise.all(sources.map(async (s) => [s.label, (await httpReachability(s, [{ label: host, host, port: HTTP_PORT }]))[0]]));
  expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(sources.map((s) => [s.label, true])));
});

Then(
  "from {word}, {int} HTTP requests to {string} are answered by {int} different tasks",
  async function (this: SwarmWorld, label: string, requests: number, host: string, tasks: number) {
    const source = await endpointNamed(this, label);
    const answers = await httpResponses(source, host, HTTP_PORT, requests);
    expect({ answered: answers.length, distinctServers: new Set(answers).size }).toEqual({ answered: requests, distinctServers: tasks });
  },
);

Then("port {int} answers HTTP on every node", async function (this: SwarmWorld, port: number) {
  // From the manager's own network namespace to each node's lab address.
  const nodes = this.cluster.nodes;
  const answers = await httpReachabilityFromHost(this.manager, nodes.map((n) => n.address), port);
  expect(Object.fromEntries(nodes.map((n, i) => [n.name, answers[i]]))).toEqual(Object.fromEntries(nodes.map((n) => [n.name, true])));
});

async function httpReachabilityFromHost(node: StartedSwarmNode, addresses: string[], port: number): Promise<boolean[]> {
  const probe = `swarmnet-hostprobe-${Date.now()}`;
  await node.dockerOk(["run", "-d", "--name", probe, "--network", "host", IN_NODE_PROBE_IMAGE, "sleep", "60"]);
  try {
    return await httpReachability({ label: `${node.name} host network`, node, container: probe }, addresses.map((a) => ({ label: a, host: a, port })));
  } finally {
    await node.docker(["rm", "-f", probe]);
  }
}
