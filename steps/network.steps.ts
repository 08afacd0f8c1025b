// Networks: creating them, and what `docker network inspect` shows on each node.
import { Given, Then, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { asCell, valueAt } from "../support/json-path.js";
import { splitWords } from "../support/command-line.js";
import { addressOf, taskEndpoints } from "../support/endpoints.js";
import { espAssociations, mtuOfAddress, vxlanDevices } from "../support/interfaces.js";
import { inSubnet, subnetsOverlap } from "../support/ipv4.js";
import { endpointsOf, inspectNetworkOn, networkViews, subnetOf, type NetworkInspect } from "../support/overlay-view.js";
import { eventually } from "../support/poll.js";
import { desiredTasks } from "../support/service-tasks.js";
import type { StartedSwarmNode } from "../support/swarm-node.js";
import { fieldValuePairs, rowsOf } from "./tables.js";
import type { SwarmWorld } from "./world.js";

Given("an overlay network {network}", async function (this: SwarmWorld, network: string) {
  await this.manager.dockerOk(["network", "create", "--driver", "overlay", network]);
});

Given("an overlay network {network} with options `{}`", async function (this: SwarmWorld, network: string, options: string) {
  await this.manager.dockerOk(["network", "create", "--driver", "overlay", ...splitWords(options), network]);
});

Then("the subnets of networks {network} and {network} do not overlap", async function (this: SwarmWorld, a: string, b: string) {
  const [subnetA, subnetB] = [subnetOf(await inspectNetworkOn(this.manager, a)), subnetOf(await inspectNetworkOn(this.manager, b))];
  this.log(`${a}: ${subnetA}, ${b}: ${subnetB}`);
  expect({ [a]: subnetA, [b]: subnetB, overlap: subnetsOverlap(subnetA, subnetB) }).toEqual({ [a]: subnetA, [b]: subnetB, overlap: false });
});

Then("within {int} s, no node has network {network}", async function (this: SwarmWorld, seconds: number, network: string) {
  await eventually(`network ${network} to be gone from every node`, async () => {
    const seen = await Promise.all(this.cluster.liveNodes.map(async (n) => [n.name, (await n.docker(["network", "inspect", network])).exitCode === 0] as const));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(seen.map(([n]) => [n, false])));
  }, { timeoutMs: seconds * 1000, intervalMs: 500 });
});

Then(
  "on every node running a task of {service}, the VXLAN device of network {network} has the network's VXLAN id and UDP port {int}",
  async function (this: SwarmWorld, service: string, network: string, port: number) {
    const nodes = await nodesRunning(this, service);
    const seen = await Promise.all(
      nodes.map(async (node) => {
        const view = await inspectNetworkOn(node, network);
        const id = Number(view.Options?.["com.docker.network.driver.overlay.vxlanid_list"]);
        return [node.name, { inspect: id, devices: (await vxlanDevices(node, view.Id)).map((d) => ({ id: d.id, port: d.port })) }] as const;
      }),
    );
    this.log(`VXLAN devices of ${network}: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(seen.map(([n, s]) => [n, { inspect: s.inspect, devices: [{ id: s.inspect, port }] }])));
  },
);

Then("every task of {service} has MTU {int} on network {network}", async function (this: SwarmWorld, service: string, mtu: number, network: string) {
  const tasks = await taskEndpoints(this.cluster, service);
  const seen = await Promise.all(tasks.map(async (t) => [t.label, await mtuOfAddress(t, addressOf(t, network))] as const));
  expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(tasks.map((t) => [t.label, mtu])));
});

Then("within {int} s, every task of {service} is on exactly the networks {string}", async function (this: SwarmWorld, seconds: number, service: string, list: string) {
  const wanted = list.split(",").map((n) => n.trim()).filter(Boolean).sort();
  await eventually(`the tasks of ${service} to be on ${wanted.join(", ")}`, async () => {
    const tasks = await taskEndpoints(this.cluster, service);
    expect(Object.fromEntries(tasks.map((t) => [t.label, [...t.addresses.keys()].sort()]))).toEqual(Object.fromEntries(tasks.map((t) => [t.label, wanted])));
  }, { timeoutMs: seconds * 1000, intervalMs: 1000 });
});

function checkFields(view: NetworkInspect, pairs: [string, string][]): Record<string, string> {
  return Object.fromEntries(pairs.map(([path]) => [path, asCell(valueAt(view, path))]));
}

Then("network {network} on {node} has:", async function (this: SwarmWorld, network: string, node: StartedSwarmNode, table: DataTable) {
  const pairs = fieldValuePairs(table);
  const observed = checkFields(await inspectNetworkOn(node, network), pairs);
  this.log(`observed network ${network} on ${node.name}: ${JSON.stringify(observed)}`);
  expect(observed).toEqual(Object.fromEntries(pairs));
});

Then("on every node, network {network} has:", async function (this: SwarmWorld, network: string, table: DataTable) {
  const pairs = fieldValuePairs(table);
  const expected = Object.fromEntries(this.cluster.nodes.map((node) => [node.name, Object.fromEntries(pairs)]));
  let seen: Record<string, Record<string, string>> = {};
  // A network reaches each node a moment after it exists on the manager.
  await eventually(`network ${network} on every node`, async () => {
    seen = Object.fromEntries(await Promise.all(this.cluster.nodes.map(async (node) => [node.name, checkFields(await inspectNetworkOn(node, network), pairs)])));
    expect(seen).toEqual(expected);
  }).finally(() => this.log(`observed network ${network} on every node: ${JSON.stringify(seen)}`));
});

Then("network {network} on {node} has no endpoints", async function (this: SwarmWorld, network: string, node: StartedSwarmNode) {
  // Docker 20.10 prints "Containers": null here, later engines {}: both mean none.
  const view = await inspectNetworkOn(node, network);
  expect(Object.keys(view.Containers ?? {})).toEqual([]);
});

Then("every node has exactly these networks:", async function (this: SwarmWorld, table: DataTable) {
  const expected = rowsOf(table, ["name", "driver", "scope"]).sort((a, b) => a.name.localeCompare(b.name));
  const perNode = async (node: StartedSwarmNode) => {
    const { stdout } = await node.dockerOk(["network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"]);
    const rows = stdout.split("\n").filter(Boolean).map((line) => {
      const [name, driver, scope] = line.split(" ");
      return { name, driver, scope };
    });
    return [node.name, rows.sort((a, b) => a.name.localeCompare(b.name))] as const;
  };
  await eventually("the default networks on every node", async () => {
    const seen = Object.fromEntries(await Promise.all(this.cluster.nodes.map(perNode)));
    expect(seen).toEqual(Object.fromEntries(this.cluster.nodes.map((n) => [n.name, expected])));
  });
});

Then(
  "network {network} has {int} endpoint(s) of service {service}, collected from every node, with distinct addresses inside {string}",
  async function (this: SwarmWorld, network: string, count: number, service: string, subnet: string) {
    await eventually(`${count} endpoints of ${service} on ${network}`, async () => {
      const tasks = await desiredTasks(this.cluster, service);
      const endpoints = endpointsOf(await networkViews(this.cluster, network)).filter((e) => tasks.some((t) => t.containerName === e.name));
      const addresses = endpoints.map((e) => e.address);
      expect({ endpoints: endpoints.length, distinct: new Set(addresses).size }).toEqual({ endpoints: count, distinct: count });
      expect(addresses.filter((a) => !inSubnet(a, subnet))).toEqual([]);
      const view = await inspectNetworkOn(this.manager, network);
      expect(subnetOf(view)).toBe(subnet);
    });
  },
);

/** Nodes that run a task of the service, by the manager's schedule. */
async function nodesRunning(world: SwarmWorld, service: string): Promise<StartedSwarmNode[]> {
  const names = new Set((await desiredTasks(world.cluster, service)).map((t) => t.node));
  if (names.size === 0) throw new Error(`Service ${service} has no tasks.`);
  return world.cluster.nodes.filter((n) => names.has(n.name));
}

Then(
  "every node running a task of {service} has the endpoint {string} named {string} on network {network}",
  async function (this: SwarmWorld, service: string, key: string, name: string, network: string) {
    const nodes = await nodesRunning(this, service);
    const seen = await Promise.all(nodes.map(async (node) => [node.name, (await inspectNetworkOn(node, network)).Containers?.[key]?.Name ?? "(absent)"]));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(nodes.map((n) => [n.name, name])));
  },
);

Then(
  "on every node running a task of {service}, the Peers of network {network} are the advertise addresses of those nodes",
  async function (this: SwarmWorld, service: string, network: string) {
    await eventually(`Peers of ${network}`, async () => {
      const nodes = await nodesRunning(this, service);
      const expected = nodes.map((n) => n.address).sort();
      const seen = await Promise.all(nodes.map(async (node) => [node.name, ((await inspectNetworkOn(node, network)).Peers ?? []).map((p) => p.IP).sort()]));
      expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(nodes.map((n) => [n.name, expected])));
    });
  },
);

Then(
  "on every node running a task of {service}, network docker_gwbridge connects that node's tasks",
  async function (this: SwarmWorld, service: string) {
    const nodes = await nodesRunning(this, service);
    const perNode = async (node: StartedSwarmNode) => {
      const { stdout } = await node.dockerOk(["ps", "-q", "--no-trunc", "--filter", `label=com.docker.swarm.service.name=${service}`]);
      const tasks = stdout.split("\n").filter(Boolean).sort();
      const bridged = Object.keys((await inspectNetworkOn(node, "docker_gwbridge")).Containers ?? {});
      return [node.name, { tasks: tasks.length, connected: tasks.filter((t) => bridged.includes(t)).length }] as const;
    };
    const seen = Object.fromEntries(await Promise.all(nodes.map(perNode)));
    for (const [node, { tasks, connected }] of Object.entries(seen)) {
      expect({ node, connected }).toEqual({ node, connected: tasks });
      expect(tasks).toBeGreaterThan(0);
    }
  },
);

Then("every node running a task of {service} has ESP security associations that carried traffic", async function (this: SwarmWorld, service: string) {
  const nodes = await nodesRunning(this, service);
  const seen = await Promise.all(nodes.map(async (n) => [n.name, await espAssociations(n)] as const));
  this.log(`ESP bytes per association: ${JSON.stringify(Object.fromEntries(seen))}`);
  expect(Object.fromEntries(seen.map(([n, sas]) => [n, sas.some((bytes) => bytes > 0)]))).toEqual(Object.fromEntries(seen.map(([n]) => [n, true])));
});
