// Networks: creating them, and what `docker network inspect` shows on each node.
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { forEachNode, perNode } from "../support/cluster/per-node.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { mtuOfAddress } from "../support/probes/interfaces.js";
import { INTERVAL_MS, STEP_TIMEOUT_MS } from "../support/run/limits.js";
import { eventually, holds, pollUntil, scaledTimeout, type Deadline } from "../support/run/poll.js";
import {
  countVxlanSent,
  espAssociations,
  untilLearnedEntriesAgeOut,
  vxlanDestinations,
  vxlanDevices,
  vxlanSentBy,
} from "../support/swarm/data-path.js";
import { addressOf, taskContainersOn } from "../support/swarm/endpoints.js";
import { endpointsOf, networkViews, subnetOf, vxlanIdOf, type NetworkInspect } from "../support/swarm/network-view.js";
import { splitWords } from "../support/text/command-line.js";
import { inSubnet, subnetsOverlap } from "../support/text/ipv4.js";
import { asCell, valueAt } from "../support/text/json-path.js";
import { chooseWord } from "../support/text/vocabulary.js";
import { expandIn } from "./placeholders.js";
import { fieldValuePairs, rowForEngine, rowsOf, yesNo } from "./tables.js";
import type { OverlayCycle } from "./memory.js";
import type { SwarmWorld } from "./world.js";

Given("an overlay network {network}", async function (this: SwarmWorld, network: string) {
  await this.swarm.createOverlay(network);
});

Given(
  "an overlay network {network} with options `{}`",
  async function (this: SwarmWorld, network: string, options: string) {
    await this.swarm.createOverlay(network, splitWords(options));
  },
);

Then(
  "the subnets of networks {network} and {network} do not overlap",
  async function (this: SwarmWorld, a: string, b: string) {
    const [subnetA, subnetB] = [subnetOf(await this.swarm.network(a)), subnetOf(await this.swarm.network(b))];
    this.log(`${a}: ${subnetA}, ${b}: ${subnetB}`);
    expect({ [a]: subnetA, [b]: subnetB, overlap: subnetsOverlap(subnetA, subnetB) }).toEqual({
      [a]: subnetA,
      [b]: subnetB,
      overlap: false,
    });
  },
);

Then(
  "{deadline}, no node has network {network}",
  async function (this: SwarmWorld, deadline: Deadline, network: string) {
    await eventually(
      `network ${network} to be gone from every node`,
      async () => {
        const having = await this.swarm.nodesHaving(network);
        expect(having).toEqual(forEachNode(this.cluster.liveNodes, false));
      },
      { timeoutMs: deadline.ms, intervalMs: 500 },
    );
  },
);

Then(
  "on every node running a task of {service}, the VXLAN device of network {network} has the network's VXLAN id and UDP port {int}",
  async function (this: SwarmWorld, service: string, network: string, port: number) {
    const nodes = await this.swarm.nodesRunning(service);
    const seen = await perNode(nodes, async (node) => {
      const view = await this.swarm.network(network, node);
      return {
        inspect: vxlanIdOf(view),
        devices: (await vxlanDevices(node, view.Id)).map((d) => ({ id: d.id, port: d.port })),
      };
    });
    this.log(`VXLAN devices of ${network}: ${JSON.stringify(seen)}`);
    expect(seen).toEqual(
      forEachNode(nodes, (name) => ({ inspect: seen[name].inspect, devices: [{ id: seen[name].inspect, port }] })),
    );
  },
);

/** Which of a node's addresses a step means: the swarm's advertise address, or its --data-path-addr. */
const NODE_ADDRESSES: Record<string, (node: StartedSwarmNode) => string> = {
  advertise: (node) => node.address,
  "data-path": (node) => {
    if (!node.spec.dataAddress) throw new Error(`${node.name} has no data network, so no data-path address.`);
    return node.spec.dataAddress;
  },
};

Then(
  "on every node running a task of {service}, the VXLAN device of network {network} sends to the {word} addresses of the other nodes",
  async function (this: SwarmWorld, service: string, network: string, kind: string) {
    const addressOfNode = chooseWord("node address", kind, NODE_ADDRESSES);
    await eventually(`VXLAN forwarding entries of ${network}`, async () => {
      const nodes = await this.swarm.nodesRunning(service);
      const seen = await perNode(nodes, async (node) =>
        vxlanDestinations(node, (await this.swarm.network(network, node)).Id),
      );
      expect(seen).toEqual(
        forEachNode(nodes, (name) =>
          nodes
            .filter((n) => n.name !== name)
            .map(addressOfNode)
            .sort(),
        ),
      );
    });
  },
);

When(
  "the forwarding entries the nodes learned from traffic on network {network} have aged out",
  // Its deadline (the kernel's 300 s ageing and some) is longer than the default step timeout.
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.learnedEntriesAgeing) },
  async function (this: SwarmWorld, network: string) {
    const { before, seconds } = await untilLearnedEntriesAgeOut(this.swarm, network);
    this.log(`learned entries on ${network} ${JSON.stringify(before)} aged out after ${seconds.toFixed(0)} s`);
  },
);

Then(
  "every task of {service} has MTU {int} on network {network}",
  async function (this: SwarmWorld, service: string, mtu: number, network: string) {
    const tasks = await this.swarm.everyTaskEndpoint(service);
    const seen = await Promise.all(
      tasks.map(async (t) => [t.label, await mtuOfAddress(t, addressOf(t, network))] as const),
    );
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(tasks.map((t) => [t.label, mtu])));
  },
);

Then(
  "{deadline}, every task of {service} is on exactly the networks {string}",
  async function (this: SwarmWorld, deadline: Deadline, service: string, list: string) {
    const wanted = list
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)
      .sort();
    await eventually(
      `the tasks of ${service} to be on ${wanted.join(", ")}`,
      async () => {
        const tasks = await this.swarm.everyTaskEndpoint(service);
        const seen = Object.fromEntries(tasks.map((t) => [t.label, [...t.addresses.keys()].sort()]));
        expect(seen).toEqual(Object.fromEntries(tasks.map((t) => [t.label, wanted])));
      },
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
  },
);

function checkFields(view: NetworkInspect, pairs: [string, string][]): Record<string, string> {
  return Object.fromEntries(pairs.map(([path]) => [path, asCell(valueAt(view, path))]));
}

Then(
  "network {network} on {node} has:",
  async function (this: SwarmWorld, network: string, node: StartedSwarmNode, table: DataTable) {
    const pairs = fieldValuePairs(table);
    const observed = checkFields(await this.swarm.network(network, node), pairs);
    this.log(`observed network ${network} on ${node.name}: ${JSON.stringify(observed)}`);
    expect(observed).toEqual(Object.fromEntries(pairs));
  },
);

/** The table's fields of the network, on every node: each node's, or the first difference, throws. */
async function networkOnEveryNode(world: SwarmWorld, network: string, pairs: [string, string][]) {
  const seen = await perNode(world.cluster.nodes, async (node) =>
    checkFields(await world.swarm.network(network, node), pairs),
  );
  expect(seen).toEqual(forEachNode(world.cluster.nodes, Object.fromEntries(pairs)));
  return seen;
}

Then("on every node, network {network} has:", async function (this: SwarmWorld, network: string, table: DataTable) {
  const pairs = await Promise.all(
    fieldValuePairs(table).map(async ([field, value]) => [field, await expandIn(this, value)] as [string, string]),
  );
  let seen: Record<string, Record<string, string>> = {};
  // A network reaches each node a moment after it exists on the manager.
  await eventually(`network ${network} on every node`, async () => {
    seen = await networkOnEveryNode(this, network, pairs);
  }).finally(() => this.log(`observed network ${network} on every node: ${JSON.stringify(seen)}`));
});

Then(
  "for {int} s, on every node, network {network} keeps:",
  async function (this: SwarmWorld, seconds: number, network: string, table: DataTable) {
    const pairs = fieldValuePairs(table);
    const samples = await holds(
      `network ${network} on every node`,
      () => networkOnEveryNode(this, network, pairs).then(() => {}),
      {
        durationMs: seconds * 1000,
      },
    );
    this.log(
      `network ${network} kept ${pairs.map(([f, v]) => `${f} = ${v}`).join(", ")} on every node for ${seconds} s (${samples} samples)`,
    );
  },
);

Then(
  "network {network} on {node} has no endpoints",
  async function (this: SwarmWorld, network: string, node: StartedSwarmNode) {
    // Docker 20.10 prints "Containers": null here, later engines {}: both mean none.
    expect(Object.keys((await this.swarm.network(network, node)).Containers ?? {})).toEqual([]);
  },
);

/** Every node's networks are the table's rows: all of them (`exactly`), or at least them. */
async function nodesHaveNetworks(world: SwarmWorld, table: DataTable, exactly: boolean): Promise<void> {
  const expected = rowsOf(table, ["name", "driver", "scope"]).sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(expected.map((r) => r.name));
  await eventually("the networks on every node", async () => {
    const seen = await perNode(world.cluster.nodes, async (node) =>
      (await world.swarm.networkList(node)).filter((row) => exactly || names.has(row.name)),
    );
    expect(seen).toEqual(forEachNode(world.cluster.nodes, expected));
  });
}

Then("every node has exactly these networks:", async function (this: SwarmWorld, table: DataTable) {
  await nodesHaveNetworks(this, table, true);
});

Then("every node has these networks, among others:", async function (this: SwarmWorld, table: DataTable) {
  await nodesHaveNetworks(this, table, false);
});

Then(
  "network {network} has {int} endpoint(s) of service {service}, collected from every node, with distinct addresses inside {string}",
  async function (this: SwarmWorld, network: string, count: number, service: string, subnet: string) {
    await eventually(`${count} endpoints of ${service} on ${network}`, async () => {
      const tasks = await this.swarm.desiredTasks(service);
      const endpoints = endpointsOf(await networkViews(this.cluster, network)).filter((e) =>
        tasks.some((t) => t.containerName === e.name),
      );
      const addresses = endpoints.map((e) => e.address);
      expect({ endpoints: endpoints.length, distinct: new Set(addresses).size }).toEqual({
        endpoints: count,
        distinct: count,
      });
      expect(addresses.filter((a) => !inSubnet(a, subnet))).toEqual([]);
      expect(subnetOf(await this.swarm.network(network))).toBe(subnet);
    });
  },
);

Then(
  "every node running a task of {service} has the endpoint {string} named {string} on network {network}",
  async function (this: SwarmWorld, service: string, key: string, name: string, network: string) {
    const nodes = await this.swarm.nodesRunning(service);
    if (nodes.length === 0) throw new Error(`Service ${service} runs no task: no node to look for ${key} on.`);
    const seen = await perNode(
      nodes,
      async (node) => (await this.swarm.network(network, node)).Containers?.[key]?.Name ?? "(absent)",
    );
    expect(seen).toEqual(forEachNode(nodes, name));
  },
);

/** The endpoint `key` on `network`, by node: its name, "(absent)", or "(no network)" where the node lacks it. */
async function endpointByNode(world: SwarmWorld, key: string, network: string): Promise<Record<string, string>> {
  return perNode(world.cluster.liveNodes, async (node) => {
    const view = await world.swarm.findNetwork(network, node);
    return view ? (view.Containers?.[key]?.Name ?? "(absent)") : "(no network)";
  });
}

/** Every live node is asked; one without the network (it dropped it) has no endpoint on it. */
function expectNoEndpoint(seen: Record<string, string>): void {
  const gone = Object.entries(seen).map(([n, v]) => [n, v === "(no network)" ? v : "(absent)"]);
  expect(seen).toEqual(Object.fromEntries(gone));
}

Then(
  "{deadline}, no node has the endpoint {string} on network {network}",
  async function (this: SwarmWorld, deadline: Deadline, key: string, network: string) {
    let seen: Record<string, string> = {};
    await eventually(
      `endpoint ${key} of ${network} to be gone from every node`,
      async () => expectNoEndpoint((seen = await endpointByNode(this, key, network))),
      { timeoutMs: deadline.ms, intervalMs: 500 },
    );
    this.log(`${key} on network ${network}, by node: ${JSON.stringify(seen)}${this.sinceLastAction()}`);
  },
);

Then(
  "for {int} s, no node has the endpoint {string} on network {network}",
  async function (this: SwarmWorld, seconds: number, key: string, network: string) {
    const samples = await holds(
      `no endpoint ${key} of ${network} on any node`,
      async () => expectNoEndpoint(await endpointByNode(this, key, network)),
      { durationMs: seconds * 1000 },
    );
    this.log(`no node had ${key} on network ${network} for ${seconds} s (${samples} samples)`);
  },
);

Then(
  "on every node running a task of {service}, the Peers of network {network} are the {word} addresses of those nodes",
  async function (this: SwarmWorld, service: string, network: string, kind: string) {
    const addressOfNode = chooseWord("node address", kind, NODE_ADDRESSES);
    await eventually(`Peers of ${network}`, async () => {
      const nodes = await this.swarm.nodesRunning(service);
      const seen = await perNode(nodes, async (node) =>
        ((await this.swarm.network(network, node)).Peers ?? []).map((p) => p.IP).sort(),
      );
      expect(seen).toEqual(forEachNode(nodes, nodes.map(addressOfNode).sort()));
    });
  },
);

When("every node counts the VXLAN packets it sends, by interface", async function (this: SwarmWorld) {
  const port = await this.cluster.dataPathPort();
  await perNode(this.cluster.nodes, (node) => countVxlanSent(node, port, nodeAddresses(node)));
});

Then(
  "every node running a task of {service} sent VXLAN packets by its data-path address and none by its advertise address",
  async function (this: SwarmWorld, service: string) {
    const nodes = await this.swarm.nodesRunning(service);
    const sent = await perNode(nodes, async (node) => {
      const byAddress = await vxlanSentBy(node, nodeAddresses(node));
      return { byDataPath: byAddress[NODE_ADDRESSES["data-path"](node)], byAdvertise: byAddress[node.address] };
    });
    this.log(`VXLAN packets sent: ${JSON.stringify(sent)}`);
    const seen = forEachNode(nodes, (name) => ({
      byDataPath: sent[name].byDataPath > 0,
      byAdvertise: sent[name].byAdvertise,
    }));
    expect(seen).toEqual(forEachNode(nodes, { byDataPath: true, byAdvertise: 0 }));
  },
);

Then(
  "{deadline}, no node has a container of service {word} any more",
  async function (this: SwarmWorld, deadline: Deadline, service: string) {
    // A removed service is gone from the manager at once; its containers stop and go
    // on each node afterwards. Claims about what outlives it wait for that.
    const left = await pollUntil(
      `the containers of ${service} to be gone from every node`,
      () => perNode(this.cluster.nodes, (node) => taskContainersOn(node, service, { all: true })),
      (seen) => Object.values(seen).every((ids) => ids.length === 0),
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
    this.log(`no container of ${service} left on ${Object.keys(left).join(", ")}${this.sinceLastAction()}`);
  },
);

/** The node's advertise address, and its data-path address where it has one. */
function nodeAddresses(node: StartedSwarmNode): string[] {
  return node.spec.dataAddress ? [node.address, node.spec.dataAddress] : [node.address];
}

/** On each node running the service, how many of its tasks docker_gwbridge connects, and at which addresses. */
async function gwbridgeOfTasks(world: SwarmWorld, service: string, subnet?: string): Promise<void> {
  const nodes = await world.swarm.nodesRunning(service);
  if (nodes.length === 0) throw new Error(`Service ${service} runs no task: no docker_gwbridge to look at.`);
  const seen = await perNode(nodes, async (node) => {
    const tasks = await taskContainersOn(node, service);
    const bridged = (await world.swarm.network("docker_gwbridge", node)).Containers ?? {};
    const connected = tasks.filter((t) => t in bridged);
    const outside = subnet
      ? connected.map((t) => bridged[t].IPv4Address.split("/")[0]).filter((a) => !inSubnet(a, subnet))
      : [];
    return { tasks: tasks.length, connected: connected.length, outside };
  });
  world.log(`docker_gwbridge: ${JSON.stringify(seen)}`);
  expect(seen).toEqual(
    forEachNode(nodes, (name) => ({ tasks: Math.max(1, seen[name].tasks), connected: seen[name].tasks, outside: [] })),
  );
}

Then(
  "on every node running a task of {service}, network docker_gwbridge connects that node's tasks",
  async function (this: SwarmWorld, service: string) {
    await gwbridgeOfTasks(this, service);
  },
);

Then(
  "on every node running a task of {service}, network docker_gwbridge connects that node's tasks at addresses inside {string}",
  async function (this: SwarmWorld, service: string, subnet: string) {
    await gwbridgeOfTasks(this, service, subnet);
  },
);

/** Whether each node running a task of the service has an ESP security association that carried bytes. */
async function espCarried(
  world: SwarmWorld,
  service: string,
): Promise<{ seen: Record<string, boolean>; nodes: StartedSwarmNode[] }> {
  const nodes = await world.swarm.nodesRunning(service);
  const bytes = await perNode(nodes, espAssociations);
  world.log(`ESP bytes per association: ${JSON.stringify(bytes)}`);
  return { seen: Object.fromEntries(Object.entries(bytes).map(([n, sas]) => [n, sas.some((b) => b > 0)])), nodes };
}

Then(
  "every node running a task of {service} has ESP security associations that carried traffic",
  async function (this: SwarmWorld, service: string) {
    const { seen, nodes } = await espCarried(this, service);
    expect(seen).toEqual(forEachNode(nodes, true));
  },
);

Then(
  "whether ESP security associations carried traffic on the nodes running a task of {service}, by engine:",
  async function (this: SwarmWorld, service: string, table: DataTable) {
    const version = await this.manager.engineVersion();
    const expected = yesNo(
      rowForEngine(rowsOf(table, ["engine", "carried"]), version, this.manager.name),
      "carried",
      0,
    );
    const { seen, nodes } = await espCarried(this, service);
    expect(seen).toEqual(forEachNode(nodes, expected));
  },
);

When("the ingress network is re-created with options `{}`", async function (this: SwarmWorld, options: string) {
  const ingress = await this.swarm.recreateIngress(splitWords(options));
  this.acted("ingress re-created");
  this.log(`ingress re-created: ${subnetOf(ingress)}, id ${ingress.Id}`);
});

When(
  "{int} overlays are created and removed one after another, each with a global service on it",
  async function (this: SwarmWorld, count: number) {
    const cycles: OverlayCycle[] = [];
    for (let i = 1; i <= count; i++) {
      const [network, service] = [`cycle-net-${i}`, `cycle-web-${i}`];
      await this.swarm.createOverlay(network);
      await this.swarm.createService({ name: service, replicas: "global", networks: [network] });
      const { subnet, overlaps } = await this.swarm.overlapsWith(network);
      cycles.push({ network, subnet, overlaps });
      await this.swarm.removeServiceAndNetwork(service, network);
    }
    this.memory.remember("cycled overlays", cycles);
    this.acted(`${count} overlays created and removed`);
    this.log(cycles.map((c) => `${c.network}: ${c.subnet}`).join("\n"));
  },
);

Then("none of those overlays overlapped another network on any node", function (this: SwarmWorld) {
  const cycles = this.memory.recall("cycled overlays");
  expect(cycles.flatMap((c) => c.overlaps.map((o) => `${c.network} (${c.subnet}) overlaps ${o}`))).toEqual([]);
});

Then(
  "the subnet of network {network} overlaps no other network on any node",
  async function (this: SwarmWorld, network: string) {
    const { subnet, compared, overlaps } = await this.swarm.overlapsWith(network);
    this.log(
      `${network}: ${subnet}; compared with ${compared} subnets of other networks on ${this.cluster.liveNodes.length} nodes`,
    );
    expect(overlaps).toEqual([]);
  },
);
