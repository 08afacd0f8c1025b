// Traffic and DNS between tasks and containers, observed from inside their namespaces.
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { forEachNode } from "../support/cluster/per-node.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { resolveExpectingNothing, resolveName } from "../support/probes/dns.js";
import { bodyBytesFrom, httpReachability, httpRequests } from "../support/probes/http.js";
import { onHostNetwork } from "../support/probes/runner.js";
import { DEADLINE_MS, INTERVAL_MS, PORTS } from "../support/run/limits.js";
import { Deadline, eventually, holds } from "../support/run/poll.js";
import { requestsAcrossNodes, type CrossNodeRequest } from "../support/swarm/dual-stack.js";
import { addressOf, type Endpoint } from "../support/swarm/endpoints.js";
import { observeReachability } from "../support/swarm/reachability.js";
import { splitWords } from "../support/text/command-line.js";
import { chooseWord } from "../support/text/vocabulary.js";
import { formatTruthTable, sourcesWithoutPositive, type TruthRow } from "../support/text/truth-table.js";
import { rowForEngine, rowsOf, yesNo } from "./tables.js";
import type { SwarmWorld } from "./world.js";

Given(
  "a web server {word} on the host network of {node}",
  async function (this: SwarmWorld, name: string, node: StartedSwarmNode) {
    // Outside every overlay: it answers on the node's own lab address.
    await this.swarm.runContainer(node, { name, workload: "web", network: "host" });
  },
);

Given(
  "a container {word} on {node} on network {network}",
  async function (this: SwarmWorld, name: string, node: StartedSwarmNode, network: string) {
    await this.swarm.runContainer(node, { name, workload: "probe", network });
  },
);

When("container {word} is started again", async function (this: SwarmWorld, name: string) {
  this.acted(`container ${name} started again`);
  const endpoint = await this.swarm.startContainerAgain(name);
  this.log(`${name} runs again on ${endpoint.node.name}, on ${[...endpoint.addresses.keys()].join(", ")}`);
});

Given(
  "a container {word} on {node} on network {network} with options `{}`",
  async function (this: SwarmWorld, name: string, node: StartedSwarmNode, network: string, options: string) {
    await this.swarm.runContainer(node, { name, workload: "probe", network, options: splitWords(options) });
  },
);

/**
 * Every task of the service requests every other task; all are expected to answer,
 * or (`false`) none. Where none may answer, each task also requests its own address,
 * which must answer: the positive control that makes its "no" rows mean something.
 */
async function meshBetweenTasks(world: SwarmWorld, service: string, expected: boolean): Promise<void> {
  const tasks = await world.swarm.everyTaskEndpoint(service);
  if (tasks.length < 2)
    throw new Error(`${service} has ${tasks.length} running task: reachability between tasks needs at least 2.`);
  const rows: TruthRow[] = [];
  for (const from of tasks) {
    const targets = tasks.filter((t) => t !== from || !expected);
    const answers = await httpReachability(
      from,
      targets.map((t) => ({ host: addressOf(t), port: PORTS.http })),
    );
    targets.forEach((to, i) =>
      rows.push({
        from: from.label,
        to: to === from ? "itself" : `${to.label} (${to.node.name})`,
        expected: expected || to === from,
        observed: answers[i],
      }),
    );
  }
  if (rows.some((r) => r.expected !== r.observed))
    throw new Error(`HTTP reachability differs:\n${formatTruthTable(rows)}`);
  // Slots sit on nodes the scheduler chose: the report's table leaves the nodes out.
  const table = formatTruthTable(rows.map((r) => ({ ...r, to: r.to.replace(/ \(.*\)$/, "") })));
  world.log(`HTTP between the tasks of ${service}:\n${table}`);
}

Then(
  "from every task of {service}, HTTP to every other task answers",
  async function (this: SwarmWorld, service: string) {
    await meshBetweenTasks(this, service, true);
  },
);

Then(
  "from every task of {service}, the {int}-byte body of every other task arrives whole",
  async function (this: SwarmWorld, service: string, bytes: number) {
    const tasks = await this.swarm.everyTaskEndpoint(service);
    if (tasks.length < 2) throw new Error(`${service} has ${tasks.length} running task: a body between tasks needs 2.`);
    const seen: Record<string, number> = {};
    for (const from of tasks) {
      const others = tasks.filter((t) => t !== from);
      const counts = await bodyBytesFrom(
        from,
        others.map((t) => ({ host: addressOf(t), port: PORTS.http })),
      );
      others.forEach((to, i) => (seen[`${from.label} <- ${to.label}`] = counts[i]));
    }
    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((k) => [k, bytes])));
    this.log(`bytes of each body that arrived: ${JSON.stringify(seen)}`);
  },
);

Then(
  "from every task of {service}, HTTP to each task on another node at its IPv6 address on network {network} reaches it, with network {network} as the control, by engine:",
  async function (this: SwarmWorld, service: string, network: string, control: string, table: DataTable) {
    const version = await this.manager.engineVersion();
    const row = rowForEngine(rowsOf(table, ["engine", "reaches it"]), version, this.manager.name);
    if (row["reaches it"] === "-") {
      // The row says no task runs on this engine: that is checked, not assumed.
      expect({ runningTasks: (await this.swarm.runningTasks(service)).length }).toEqual({ runningTasks: 0 });
      this.log(`engine ${version}: no task of ${service} runs, so there is nothing to ask`);
      return;
    }
    const requests = await requestsAcrossNodes(this.swarm, service, network, control);
    const line = (r: CrossNodeRequest) =>
      `${r.from} -> ${r.to} at ${r.address} (${r.fromSwarm ? "from the swarm" : "made up"})`;
    this.log(`engine ${version}:\n${requests.map((r) => `${line(r)}: ${r.answeredBy}`).join("\n")}`);
    // IPv4 on a dual-stack overlay is reported, not claimed: the swarm's and the nodes'
    // made-up IPv4 addresses collide, so who answers depends on where tasks run.
    const overIpv6 = requests.filter((r) => r.address.includes(":"));
    if (overIpv6.length === 0)
      throw new Error(`No task of ${service} on another node has an IPv6 address: nothing to ask.`);
    const reached = (r: CrossNodeRequest) => (r.answeredBy === "that task" ? "yes" : "no");
    const expected = yesNo(row, "reaches it", 0) ? "yes" : "no";
    expect(overIpv6.map((r) => `${line(r)}: ${reached(r)}`)).toEqual(overIpv6.map((r) => `${line(r)}: ${expected}`));
  },
);

Then(
  "from every task of {service}, HTTP to every other task answers, by engine:",
  async function (this: SwarmWorld, service: string, table: DataTable) {
    const version = await this.manager.engineVersion();
    const row = rowForEngine(rowsOf(table, ["engine", "answers"]), version, this.manager.name);
    this.log(`engine ${version}: expecting ${row.answers === "yes" ? "every" : "no"} task to answer`);
    await meshBetweenTasks(this, service, yesNo(row, "answers", 0));
  },
);

Then("HTTP reachability on port {int} is:", async function (this: SwarmWorld, port: number, table: DataTable) {
  await reachabilityTable(this, port, table, new Deadline(DEADLINE_MS.reachability / 1000));
});

Then(
  "{deadline}, HTTP reachability on port {int} is:",
  async function (this: SwarmWorld, deadline: Deadline, port: number, table: DataTable) {
    await reachabilityTable(this, port, table, deadline);
  },
);

async function reachabilityTable(world: SwarmWorld, port: number, table: DataTable, deadline: Deadline): Promise<void> {
  const wanted = rowsOf(table, ["from", "to", "expected"]).map((row, i) => ({
    from: row.from,
    to: row.to,
    expected: yesNo(row, "expected", i),
  }));
  // Misspelt names and a source with no positive control fail at once, not after the wait below.
  for (const row of wanted) for (const label of [row.from, row.to]) world.swarm.checkEndpointName(label);
  const unproven = sourcesWithoutPositive(wanted);
  if (unproven.length > 0)
    throw new Error(
      `In the reachability table, ${unproven.join(", ")} has only "no" rows: add a row where it reaches ` +
        `something (a "yes" from the same source), so that its "no" cannot be a probe that never worked.`,
    );
  // Re-observed until it matches: after a fault is lifted, reachability comes back over seconds.
  let rows: TruthRow[] = [];
  await eventually(
    "the HTTP reachability table",
    async () => {
      rows = await observeReachability(world.swarm, wanted, port);
      if (rows.some((r) => r.expected !== r.observed))
        throw new Error(`HTTP reachability differs from the expected table:\n${formatTruthTable(rows)}`);
    },
    { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
  );
  world.log(`observed HTTP reachability${world.sinceLastAction()}:\n${formatTruthTable(rows)}`);
}

/** What `name` resolves to from every task of the service: { "my-web.1": [...], ... }. */
async function resolvedFromTasks(
  world: SwarmWorld,
  service: string,
  name: string,
): Promise<{ tasks: Endpoint[]; seen: Record<string, string[]> }> {
  const tasks = await world.swarm.everyTaskEndpoint(service);
  const seen = Object.fromEntries(
    await Promise.all(tasks.map(async (t) => [t.label, await resolveName(t, name)] as const)),
  );
  return { tasks, seen };
}

const sameForTasks = <T>(tasks: Endpoint[], value: T) => Object.fromEntries(tasks.map((t) => [t.label, value]));

async function resolvesToTasks(
  world: SwarmWorld,
  service: string,
  name: string,
  target: string,
  timeoutMs?: number,
): Promise<void> {
  await eventually(
    `${name} to resolve to the tasks of ${target}`,
    async () => {
      const { tasks, seen } = await resolvedFromTasks(world, service, name);
      // Most often the name is the asking service's own: its tasks are already at hand.
      const targets = target === service ? tasks : await world.swarm.everyTaskEndpoint(target);
      const expected = targets.map((t) => addressOf(t)).sort();
      expect(seen).toEqual(sameForTasks(tasks, expected));
    },
    { timeoutMs },
  );
  world.log(`${name} resolved to the tasks of ${target} from every task of ${service}${world.sinceLastAction()}`);
}

Then(
  "from every task of {service}, {string} resolves to the addresses of the tasks of {service}",
  async function (this: SwarmWorld, service: string, name: string, target: string) {
    await resolvesToTasks(this, service, name, target);
  },
);

Then(
  "{deadline}, from every task of {service}, {string} resolves to the addresses of the tasks of {service}",
  async function (this: SwarmWorld, deadline: Deadline, service: string, name: string, target: string) {
    await resolvesToTasks(this, service, name, target, deadline.ms);
  },
);

/** What "tasks", "virtual IP" and "noted virtual IP" of a by-engine answer stand for, now. */
const ANSWER_PARTS: Record<string, (world: SwarmWorld, target: string) => Promise<string[]>> = {
  tasks: async (world, target) => (await world.swarm.everyTaskEndpoint(target)).map((t) => addressOf(t)),
  "virtual IP": (world, target) => world.swarm.virtualIps(target),
  "noted virtual IP": async (world, target) => world.memory.recall("noted virtual IPs", target),
};

Then(
  "{deadline}, from every task of {service}, {string} resolves to these addresses of {service}, by engine:",
  async function (
    this: SwarmWorld,
    deadline: Deadline,
    service: string,
    name: string,
    target: string,
    table: DataTable,
  ) {
    const version = await this.manager.engineVersion();
    const row = rowForEngine(rowsOf(table, ["engine", "addresses"]), version, this.manager.name);
    const parts = row.addresses.split(" + ").map((p) => chooseWord("addresses", p.trim(), ANSWER_PARTS));
    this.log(`engine ${version}: expecting ${row.addresses} of ${target}`);
    await eventually(
      `${name} to resolve to ${row.addresses} of ${target}`,
      async () => {
        const expected = (await Promise.all(parts.map((part) => part(this, target)))).flat().sort();
        const { tasks, seen } = await resolvedFromTasks(this, service, name);
        expect(seen).toEqual(sameForTasks(tasks, expected));
      },
      { timeoutMs: deadline.ms },
    );
    this.log(`${name} resolved to ${row.addresses} of ${target}${this.sinceLastAction()}`);
  },
);

Then(
  "{deadline}, from every task of {service}, {string} resolves to the addresses of the {int} running task(s) of {service}",
  async function (this: SwarmWorld, deadline: Deadline, service: string, name: string, count: number, target: string) {
    // Running as the swarm says it: a task with a health check runs once it is healthy.
    await eventually(
      `${name} to resolve to the ${count} running tasks of ${target}`,
      async () => {
        const running = await this.swarm.taskEndpoints(target);
        expect(running.length).toBe(count);
        const { tasks, seen } = await resolvedFromTasks(this, service, name);
        expect(seen).toEqual(sameForTasks(tasks, running.map((t) => addressOf(t)).sort()));
      },
      { timeoutMs: deadline.ms },
    );
    this.log(`${name} resolved to the ${count} running tasks of ${target}${this.sinceLastAction()}`);
  },
);

Then(
  "from {endpoint}, {string} resolves to the address of {endpoint} on network {network}",
  async function (this: SwarmWorld, from: Endpoint, name: string, to: Endpoint, network: string) {
    const expected = to.addresses.get(network);
    if (!expected) throw new Error(`${to.label} has no address on network ${network}.`);
    await eventually(`${name} to resolve to ${to.label} from ${from.label}`, async () => {
      expect(await resolveName(from, name)).toEqual([expected]);
    });
  },
);

Then(
  "from every task of {service}, {string} resolves to nothing",
  async function (this: SwarmWorld, service: string, name: string) {
    // The resolver must have said so: a probe that could not ask fails the step.
    let evidence = "";
    await eventually(`${name} to stop resolving`, async () => {
      const tasks = await this.swarm.everyTaskEndpoint(service);
      const checks = await Promise.all(
        tasks.map(async (t) => [t.label, await resolveExpectingNothing(t, name, service)] as const),
      );
      evidence = checks.map(([t, c]) => `${t}: ${c.evidence}`).join("; ");
      expect(Object.fromEntries(checks.map(([t, c]) => [t, c.addresses]))).toEqual(sameForTasks(tasks, []));
    });
    this.log(`${name} from the tasks of ${service}: ${evidence}`);
  },
);

Then("from {endpoint}, {string} resolves to nothing", async function (this: SwarmWorld, from: Endpoint, name: string) {
  // The control is the container's own name, which the same server must answer.
  let evidence = "";
  await eventually(`${name} to stop resolving from ${from.label}`, async () => {
    const check = await resolveExpectingNothing(from, name, from.container);
    evidence = check.evidence;
    expect(check.addresses).toEqual([]);
  });
  this.log(`${name} from ${from.label}: ${evidence}`);
});

/** `name` resolves, from every task of the service, to exactly the targets' virtual IPs. */
async function resolvesToVips(
  world: SwarmWorld,
  service: string,
  name: string,
  targets: string[],
  timeoutMs?: number,
): Promise<void> {
  await eventually(
    `${name} to resolve to the virtual IPs of ${targets.join(" and ")}`,
    async () => {
      const expected = (await Promise.all(targets.map((t) => world.swarm.virtualIps(t)))).flat().sort();
      if (expected.length === 0) throw new Error(`${targets.join(" and ")} has no virtual IP to resolve to.`);
      const { tasks, seen } = await resolvedFromTasks(world, service, name);
      expect(seen).toEqual(sameForTasks(tasks, expected));
    },
    { timeoutMs: timeoutMs ?? 0 },
  );
}

Then(
  "from every task of {service}, {string} resolves to the virtual IP of {service}",
  async function (this: SwarmWorld, service: string, name: string, target: string) {
    await resolvesToVips(this, service, name, [target]);
  },
);

Then(
  "{deadline}, from every task of {service}, {string} resolves to the virtual IP of {service}",
  async function (this: SwarmWorld, deadline: Deadline, service: string, name: string, target: string) {
    await resolvesToVips(this, service, name, [target], deadline.ms);
    this.log(`${name} resolved to the virtual IP of ${target}${this.sinceLastAction()}`);
  },
);

Then(
  "from every task of {service}, {string} resolves to the virtual IPs of {service} and {service}",
  async function (this: SwarmWorld, service: string, name: string, first: string, second: string) {
    await resolvesToVips(this, service, name, [first, second]);
  },
);

Then(
  "from every task of {service}, {string} resolves to {string}",
  async function (this: SwarmWorld, service: string, name: string, address: string) {
    const { tasks, seen } = await resolvedFromTasks(this, service, name);
    expect(seen).toEqual(sameForTasks(tasks, [address]));
  },
);

Then(
  "from every task of {service}, HTTP to {string} answers",
  async function (this: SwarmWorld, service: string, host: string) {
    const tasks = await this.swarm.everyTaskEndpoint(service);
    const seen = await Promise.all(
      tasks.map(async (t) => [t.label, (await httpReachability(t, [{ host, port: PORTS.http }]))[0]] as const),
    );
    expect(Object.fromEntries(seen)).toEqual(sameForTasks(tasks, true));
  },
);

/** `requests` requests from `source` to `host`: how many were answered, and by how many tasks. */
async function answeredBy(world: SwarmWorld, source: Endpoint, requests: number, host: string) {
  const results = await httpRequests(source, { host, port: PORTS.http }, requests);
  const servers = results.flatMap((r) => (r.answered ? [r.body] : []));
  world.log(
    `${requests} requests from ${source.label} to ${host}: ${servers.length} answered, by ${[...new Set(servers)].join(", ")}`,
  );
  return { answered: servers.length, distinctServers: new Set(servers).size };
}

Then(
  "from {endpoint}, {int} HTTP requests to {string} are answered by {int} different tasks",
  async function (this: SwarmWorld, source: Endpoint, requests: number, host: string, tasks: number) {
    expect(await answeredBy(this, source, requests, host)).toEqual({ answered: requests, distinctServers: tasks });
  },
);

Then(
  "{deadline}, from {endpoint}, {int} HTTP requests in a row to {string} are all answered, by {int} different tasks",
  async function (
    this: SwarmWorld,
    deadline: Deadline,
    source: Endpoint,
    requests: number,
    host: string,
    tasks: number,
  ) {
    // Each try is a whole batch: one that loses a request to a backend that is gone fails, and the next starts anew.
    await eventually(
      `${requests} requests in a row to ${host} all answered by ${tasks} tasks`,
      async () =>
        expect(await answeredBy(this, source, requests, host)).toEqual({ answered: requests, distinctServers: tasks }),
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
    this.log(`${requests} requests in a row to ${host} all answered by ${tasks} tasks${this.sinceLastAction()}`);
  },
);

/** Whether `port` answers HTTP on each node's lab address, from the manager's own network namespace. */
async function portAnswersOnNodes(world: SwarmWorld, port: number): Promise<Record<string, boolean>> {
  const nodes = world.cluster.nodes;
  const answers = await httpReachability(
    onHostNetwork(world.manager),
    nodes.map((n) => ({ host: n.address, port })),
  );
  return Object.fromEntries(nodes.map((n, i) => [n.name, answers[i]]));
}

Then(
  "port {int} answers HTTP only on the nodes running a task of {service}",
  async function (this: SwarmWorld, port: number, service: string) {
    await eventually(`port ${port} to answer only where ${service} runs`, async () => {
      const running = new Set((await this.swarm.runningTasks(service)).map((t) => t.node));
      const seen = await portAnswersOnNodes(this, port);
      expect(seen).toEqual(forEachNode(this.cluster.nodes, (name) => running.has(name)));
    });
    // Which node runs the task is the scheduler's choice: the report says how many answer.
    const answering = Object.values(await portAnswersOnNodes(this, port)).filter(Boolean).length;
    this.log(`port ${port} answers on ${answering} node(s), exactly those running a task of ${service}`);
  },
);

Then(
  "{deadline}, port {int} answers HTTP on every node, and port {int} on none",
  async function (this: SwarmWorld, deadline: Deadline, open: number, closed: number) {
    // The same probe, from the same place, answers on one port: its "no" on the other is a refusal.
    const both = async () => ({
      [open]: await portAnswersOnNodes(this, open),
      [closed]: await portAnswersOnNodes(this, closed),
    });
    let seen = {};
    await eventually(
      `port ${open} to answer on every node and port ${closed} on none`,
      async () => {
        seen = await both();
        expect(seen).toEqual({
          [open]: forEachNode(this.cluster.nodes, true),
          [closed]: forEachNode(this.cluster.nodes, false),
        });
      },
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
    this.log(`ports from manager1's host network${this.sinceLastAction()}: ${JSON.stringify(seen)}`);
  },
);

Then(
  "for {int} s, port {int} answers HTTP on every node but {node}",
  async function (this: SwarmWorld, seconds: number, port: number, silent: StartedSwarmNode) {
    // Every sample probes every node from one place: the others' answers show that the probe ran.
    const samples = await holds(
      `port ${port} answering on every node but ${silent.name}`,
      async () =>
        expect(await portAnswersOnNodes(this, port)).toEqual(
          forEachNode(this.cluster.nodes, (name) => name !== silent.name),
        ),
      { durationMs: seconds * 1000 },
    );
    this.log(`port ${port} answered on every node but ${silent.name} for ${seconds} s (${samples} samples)`);
  },
);

Then("port {int} answers HTTP on every node", async function (this: SwarmWorld, port: number) {
  expect(await portAnswersOnNodes(this, port)).toEqual(forEachNode(this.cluster.nodes, true));
});

Then(
  "{deadline}, port {int} answers HTTP on every node",
  async function (this: SwarmWorld, deadline: Deadline, port: number) {
    await eventually(
      `port ${port} to answer HTTP on every node`,
      async () => expect(await portAnswersOnNodes(this, port)).toEqual(forEachNode(this.cluster.nodes, true)),
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
    this.log(`port ${port} answers on every node${this.sinceLastAction()}`);
  },
);
